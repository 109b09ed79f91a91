import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createReplayConnector,
  listPetShopIssues,
  loadPetShopIssue,
  petShopPatterns,
} from '@aisre/connector-replay';
import { createInvestigator, createManualClock, renderReportMarkdown } from '@aisre/core';

// Where the PetShop dataset is: PETSHOP_PATH, or ../shared/datasets/petshop beside the repository (as in CI).
const here = dirname(fileURLToPath(import.meta.url));
const dataset = resolve(process.env.PETSHOP_PATH ?? join(here, '../../../../shared/datasets/petshop'));
const wanted = process.argv[2] ?? 'high_traffic/test/issue_0';
if (!existsSync(dataset)) {
  console.log(`replay-petshop: no PetShop dataset at ${dataset} (set PETSHOP_PATH to its folder); skipping.`);
  process.exit(0);
}
const location = listPetShopIssues(dataset).find(
  (issue) => `${issue.scenario}/${issue.split}/${issue.name}` === wanted,
);
if (!location) {
  console.error(`replay-petshop: no issue ${wanted} in ${dataset} (try low_traffic/test/issue_3)`);
  process.exit(1);
}

// The case: the call graph as topology, the metrics as recorded series, an alert on PetSite built from
// target.json's `target` alone (never its answer), at the row where PetSite's series deviates most.
const petShopCase = loadPetShopIssue(location);
for (const problem of petShopCase.problems) console.error(`replay-petshop: ${problem.message}`);

// The replay connector serves the recording as of the alert: nothing recorded later is ever seen. The
// engine is the one live investigations use; the PetShop patterns say what a slow or failing component
// looks like in this mapping, and the scope reaches the whole call graph.
const connector = createReplayConnector({ recording: petShopCase.recording, now: petShopCase.asOf });
const investigator = createInvestigator({
  connectors: [connector],
  clock: createManualClock(petShopCase.asOf),
  patterns: [...petShopPatterns],
  depth: 8,
  budget: { toolCalls: 120 },
});
investigator.events.on('investigation:ended', ({ report }) => {
  console.error(`replay-petshop: ${wanted} ended ${report.ending.kind}: ${report.ending.reason}`);
});
const report = await investigator.investigate(petShopCase.trigger, { asOf: petShopCase.asOf });
console.log(renderReportMarkdown(report));

// Only now, for comparison, what the dataset says the root cause was (the engine never read it).
const answer = JSON.parse(readFileSync(join(location.directory, 'target.json'), 'utf8')).root_cause?.node;
console.log(
  `\nThe dataset's root cause: ${String(answer)} (${petShopCase.components.refOf.get(answer) ?? '?'})`,
);
