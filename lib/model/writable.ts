/**
 * A model object while its optional keys are added. The normalizer writes the required keys of a
 * step, a job, an expression field or a placed script expression in one literal and adds the
 * optional ones after it, rather than spreading them in (`...(name !== undefined && { name })`): V8
 * turns each such spread into a runtime call and the result into a slower object, which cost a 1 MB
 * workflow a third of its validate time.
 */
export type Writable<T> = { -readonly [K in keyof T]: T[K] };
