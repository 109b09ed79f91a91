import { type Report, reportSchema } from '../contracts/report';
import { InvalidInputError } from '../errors/aisre-error';
import { parseWith } from '../errors/zod-issues';

/**
 * Reads a report back from its JSON form (as {@link renderReportJson} writes it, or as stored by a host):
 * JSON text or an already parsed value, validated with {@link reportSchema}.
 *
 * @param json - JSON text, or the value `JSON.parse` made of it
 * @returns the typed report
 * @throws {@link InvalidInputError} when the text is not JSON or the value is not a valid report; the
 * message names every offending field (`core: report is invalid: evidence[0].step: …`).
 */
export function parseReport(json: unknown): Report {
  let value = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch (error) {
      throw new InvalidInputError(
        `core: report is not valid JSON (${error instanceof Error ? error.message : String(error)}): pass the text renderReportJson wrote`,
        { issues: [{ path: [], message: 'not valid JSON' }], cause: error },
      );
    }
  }
  return parseWith(reportSchema, value, 'core: report');
}
