/**
 * Reports: Markdown for humans, JSON with a stable key order for programs, and a validating reader.
 *
 * @module
 */
export { parseReport } from './parse-report';
export { renderReportJson } from './render-report-json';
export { renderReportMarkdown } from './render-report-markdown';
