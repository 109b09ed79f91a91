/** The commands of `aisre`, with a line each for the overview. */
export const commandSummaries: Readonly<Record<string, string>> = Object.freeze({
  investigate: "Investigate a scenario's alert on mock telemetry and print the report",
  scenarios: 'List the built-in scenarios',
  story:
    'Tell an incident end to end: alert, triage, investigation, proposal, approval, fix, verification, knowledge',
  triage: "Decide what to do about a scenario's alert: ignore, watch, investigate or escalate, with reasons",
  eval: 'Run a folder of scenarios and score the conclusions against their expectations',
  graph: 'Build the knowledge graph from Kubernetes manifests or a scenario; show an entity; diff snapshots',
});

/** The overview printed by `aisre --help`. */
export const mainHelp = `aisre: an AI SRE for your terminal. It investigates incidents by testing root-cause
hypotheses against telemetry, under a budget, and explains its conclusion with an evidence chain.

Usage:
  aisre <command> [options]
  aisre <command> --help

Commands:
${Object.entries(commandSummaries)
  .map(([name, summary]) => `  ${name.padEnd(13)}${summary}`)
  .join('\n')}

Options:
  -h, --help   Show this help

Exit codes: 0 done, 1 failed, 2 wrong usage.

Examples:
  aisre scenarios
  aisre investigate --scenario redis-3am
  aisre eval --json
`;

/** Help of each command, printed by `aisre <command> --help`. */
export const commandHelp: Readonly<Record<string, string>> = Object.freeze({
  investigate: `Usage: aisre investigate --scenario <file|name> [options]

Investigates the trigger of a scenario with the built-in engine on the mock connector, then prints the
report (Markdown, JSON with --json, or an HTML page with --html) on standard output. Progress goes to standard error: a live view
on a terminal, one line per event otherwise. The scenario's expectations are never shown to the engine,
and the run is deterministic: the same scenario gives the same report.

Options:
  --scenario <file|name>   A scenario file (JSON or YAML), or the name of a built-in scenario
  --json                   Print the report as one JSON object
  --html                   Print the report as a self-contained HTML page with the evidence charts
  --concurrency <n>        How many checks run at once (default 4)
  --max-tool-calls <n>     Limit the tool calls (default: by the trigger's severity)
  --max-seconds <n>        Limit the wall time, seconds (default: by the trigger's severity)
  -h, --help               Show this help

Examples:
  aisre investigate --scenario redis-3am
  aisre investigate --scenario ./my-scenario.yaml --json > report.json
  aisre investigate --scenario redis-3am --html > report.html
`,
  triage: `Usage: aisre triage --scenario <file|name> [--json]

Triages a scenario's alert with the awareness engine: severity, criticality from the topology, trend
forecasts (traffic-aware), corroborating signals, change proximity and known patterns give a score and a
decision (ignore, watch, investigate, escalate) with the investigation budget that decision gets.

Options:
  --scenario <file|name>   A scenario file (JSON or YAML) or a built-in scenario name
  --json                   Print one JSON object: { scenario, decision, score, severity, reasons, forecast, budget }
  -h, --help               Show this help

Examples:
  aisre triage --scenario redis-3am
`,
  story: `Usage: aisre story [--scenario <file|name>] [--approve | --ask] [--role <roles>] [--environment <name>]

Tells an incident end to end on mock telemetry: the alert arrives, triage decides with its reasons, the
investigation concludes with its evidence, remediations are proposed and decided by the default policy,
approved changes are applied through the mock actuator, the symptom is watched for 30 simulated minutes, and
the outcome becomes knowledge that the next investigation of the same alert starts from.

Options:
  --scenario <file|name>   A scenario file or a built-in name (default redis-3am)
  --approve                Approve the changes the policy asks approval for (default: nobody approves)
  --ask                    Ask at the terminal for each change the policy asks approval for: shows the
                           change, risk, rollback, rule and cited evidence, and applies it on "y"
  --role <roles>           The roles you approve as, comma-separated: staging asks team-lead, production
                           on-call; a yes without the role applies nothing (default: none)
  --environment <name>     development (default), staging or production; production always asks
  -h, --help               Show this help
`,
  scenarios: `Usage: aisre scenarios [--json]

Lists the built-in scenarios: name, trigger alert, entity and severity.

Options:
  --json       Print { "scenarios": [ { name, alert, entity, severity } ] }
  -h, --help   Show this help
`,
  eval: `Usage: aisre eval [<folder>] [options]
       aisre eval --dataset petshop --path <dir> [--json]

Runs every scenario file (*.json, *.yaml, *.yml) of the folder, or the built-in library when no folder is
given, and scores the engine: top-1 and top-3 accuracy of the root cause, triage decisions, calibration of
its confidence, tool calls and time. Expectations are read by the scorer only; the engine sees the
scenario without them. A file that fails validation is listed under errors and the run goes on.

Options:
  --json               Print one JSON object: { summary, scenarios, errors }
  --concurrency <n>    How many checks run at once in each investigation (default 4)
  --dataset petshop    Evaluate on the PetShop root-cause dataset instead of scenarios (needs --path):
                       top-1/top-3 recall per traffic and metric (train, test, all), specificity on
                       normal windows, and a random and a robust z-score baseline. With --json, one
                       object { cells, baselines, summary, errors }
  --path <dir>         The dataset folder (the one holding low_traffic, high_traffic, …)
  --variants <n>       Instead of files, n generated scenarios on random systems (faults and noise of the
                       kinds docs/awareness.md tells apart), expectations from its decision rubric: a
                       development set to tune triage on; with --json, also { variants: [ case, why ] }
  --seed <n>           The seed of --variants (default 1)
  -h, --help           Show this help

Examples:
  aisre eval
  aisre eval ./scenarios --json
  aisre eval --variants 200 --seed 7 --json
  aisre eval --dataset petshop --path ../shared/datasets/petshop --json
`,
  graph: `Usage: aisre graph build [<manifest file|folder>...] [--scenario <file|name>] [--snapshot <file>] [--out <file>] [--json]
       aisre graph show <kind:namespace/name> (--manifests <path> | --scenario <file|name> | --snapshot <file>) [--depth n] [--json]
       aisre graph diff <before.json> <after.json> [--json]

build   Ingests Kubernetes manifests (YAML with several documents, JSON, List; folders are read recursively) as
        "kubectl get ... -o yaml" prints them, and/or the system of a scenario scanned through the mock connector,
        on top of a snapshot when given. Prints what each file gave (ingested, skipped and why, malformed
        documents with their index and field path: the rest is still ingested), nodes and edges by kind, and
        the most critical entities. --out writes the graph's snapshot. Secret values are never read or stored.
show    What the graph knows about one entity: attributes and sources, criticality, its dependencies and its
        blast radius (dependents) to --depth hops (default 3), peers sharing its resources, changes nearby,
        past incidents and failure patterns. Exits 1 when the graph has no such entity.
diff    Nodes and edges added, removed and changed between two snapshots.

Options:
  --json       Print one JSON object instead of text
  -h, --help   Show this help

Examples:
  aisre graph build k8s/ --out graph.json
  aisre graph show redis:shop/recommendation-cache --scenario redis-3am
  aisre graph show service:shop/cart --snapshot graph.json --depth 2 --json
  aisre graph diff yesterday.json today.json
`,
});
