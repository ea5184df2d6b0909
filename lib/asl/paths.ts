/** `['id']`: bracket notation, since job and step ids may contain '-'. */
export function dataKey(id: string): string {
  return `['${id}']`;
}
