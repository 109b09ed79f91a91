/**
 * Reports: Markdown for humans, a self-contained HTML page with the evidence charts, JSON with a stable key
 * order for programs, and a validating reader.
 *
 * @module
 */

export { escapeHtml } from './html-escape';
export { parseReport } from './parse-report';
export { renderReportHtml } from './render-report-html';
export { renderReportJson } from './render-report-json';
export { renderReportMarkdown } from './render-report-markdown';
