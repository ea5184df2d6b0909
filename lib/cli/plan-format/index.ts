import { renderDot } from './dot';
import { renderJson } from './json';
import { renderMermaid } from './mermaid';
import type { PlanReport } from './report';
import { renderText } from './text';

/** `stepdeploy plan --format`: one renderer per format, each pure. */
export const planFormats = {
  text: renderText,
  mermaid: renderMermaid,
  dot: renderDot,
  json: renderJson,
} satisfies Record<string, (report: PlanReport) => string>;

export type PlanFormat = keyof typeof planFormats;

export { buildPlanReport, SECONDS_PER_STEP, type PlanReport, type ShownInput } from './report';
