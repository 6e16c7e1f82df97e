// Export of a run: every plot's table as CSV, the whole run (config, URL, tables, the words under the
// plots and the engine's run summary, docs/training.md) as JSON,
// and plots as PNG. Files are offered through a Blob URL on a download link (no network, CSP-clean).

/** One CSV with a block per plot: a header line naming the plot, then x and one column per series. */
export function toCsv(experiment, values, tables) {
  const quote = (text) => `"${String(text).replace(/"/g, '""')}"`;
  const lines = [];
  for (const plot of experiment.plots(values)) {
    const table = tables[plot.id];
    lines.push(`# ${plot.title}`);
    lines.push([plot.x.label, ...plot.series.map((s) => s.label)].map(quote).join(','));
    table.x.forEach((x, i) => {
      lines.push([x, ...plot.series.map((s) => {
        const v = table.series[s.key][i];
        return v === null || v === undefined ? '' : String(v);
      })].join(','));
    });
    lines.push('');
  }
  return lines.join('\n');
}

export function toJson(experimentId, experiment, values, tables, summaries, runSummary, status, link) {
  return JSON.stringify({
    format: 'bnkata-lab-run', version: 1, experiment: experimentId, title: experiment.title,
    values, lanes: experiment.lanes(values).map(({ key, label, config }) => ({ key, label, config })),
    link, status, summaries, run_summary: runSummary, tables,
  }, null, 2);
}

/** Offers `blob` as a download named `name`. */
export { offerDownload as download } from '../ui/download.js';
