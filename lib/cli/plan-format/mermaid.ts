import { describeMatrix } from './describe';
import type { PlanReport } from './report';

/**
 * A `flowchart LR` that GitHub renders. Node ids are generated (`j1`, `j2`, … in start order) because
 * a job id such as `end` would break the chart; labels are quoted, with Mermaid's entity codes for
 * the characters that would end them. Critical-path jobs get a thicker border.
 */
export function renderMermaid(report: PlanReport): string {
  const { jobs } = report.plan;
  const nodeId = new Map(jobs.map((planned, index) => [planned.job.id, `j${index + 1}`]));
  const lines = ['flowchart LR'];
  for (const planned of jobs) {
    const matrix = describeMatrix(planned);
    const label = escapeLabel(planned.job.id) + (matrix === undefined ? '' : `<br/>matrix: ${escapeLabel(matrix)}`);
    lines.push(`  ${nodeId.get(planned.job.id)}["${label}"]`);
  }
  for (const planned of jobs) {
    for (const need of planned.job.needs) lines.push(`  ${nodeId.get(need)} --> ${nodeId.get(planned.job.id)}`);
  }
  if (report.criticalPath.jobs.length > 0) {
    lines.push('  classDef critical stroke-width:3px');
    lines.push(`  class ${report.criticalPath.jobs.map((id) => nodeId.get(id)).join(',')} critical`);
  }
  return `${lines.join('\n')}\n`;
}

function escapeLabel(text: string): string {
  return text.replace(/[&"<>#]/g, (char) => `#${char.charCodeAt(0)};`);
}
