import { z } from 'zod';
import { parseWith } from '../errors/zod-issues';
import { type IncidentRecord, incidentRecordSchema } from './incident-capture';
import { IncidentList, type IncidentMemory } from './incident-memory';
import { createJsonFileWriter, readJsonFile } from './json-file-storage';

/** Options of {@link openFileIncidentMemory}. */
export interface FileIncidentMemoryOptions {
  /** The JSON file (`{ "version": 1, "incidents": [...] }`); created on the first record. */
  path: string;
}

const incidentFileSchema = z.object({ version: z.literal(1), incidents: z.array(incidentRecordSchema) });

/**
 * Opens an {@link IncidentMemory} kept in a JSON file: the file is read once here (a missing file is an empty
 * memory), queries answer from memory, and every record rewrites the file atomically.
 *
 * @param options - the file path
 * @throws {@link InvalidInputError} when the file exists but is malformed, naming the field.
 */
export async function openFileIncidentMemory(options: FileIncidentMemoryOptions): Promise<IncidentMemory> {
  const loaded = await readJsonFile(options.path, incidentFileSchema, 'core: incident memory');
  const list = new IncidentList((loaded?.incidents ?? []) as IncidentRecord[]);
  const write = createJsonFileWriter(options.path);
  return {
    async record(incident) {
      list.add(parseWith(incidentRecordSchema, incident, 'core: incident record') as IncidentRecord);
      await write({ version: 1, incidents: list.all() });
    },
    pastIncidents: (entities) => list.pastIncidents(entities),
    incidents: () => list.all(),
  };
}
