import { describeMatrix } from './describe';
import type { PlanReport } from './report';

/** Graphviz: one box per job (a matrix job's label shows its cells and max-parallel), one edge per need. */
export function renderDot(report: PlanReport): string {
  const { plan } = report;
  const critical = new Set(report.criticalPath.jobs);
  const lines = [`digraph ${quote(plan.workflow.name)} {`, '  rankdir=LR;', '  node [shape=box];'];
  for (const planned of plan.jobs) {
    const matrix = describeMatrix(planned);
    const label = matrix === undefined ? planned.job.id : `${planned.job.id}\nmatrix: ${matrix}`;
    const style = critical.has(planned.job.id) ? ', penwidth=3' : '';
    lines.push(`  ${quote(planned.job.id)} [label=${quote(label)}${style}];`);
  }
  for (const planned of plan.jobs) {
    for (const need of planned.job.needs) lines.push(`  ${quote(need)} -> ${quote(planned.job.id)};`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** A DOT string literal: backslashes and quotes escaped, line breaks as DOT's `\n`. */
function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;
}
