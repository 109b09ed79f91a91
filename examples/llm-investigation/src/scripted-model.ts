import type { GenerateRequest, JsonValue } from '@aisre/core';
import { createMockModel, type MockModel, type MockStaticReply } from '@aisre/llm-mock';

// A stand-in for a real model, so the example runs offline and in CI. It answers the three requests of the
// built-in model reasoner by their schema name, from what the prompt says, as a careful engineer would:
// propose a memory-fragmentation candidate for a Redis in the path of the alert, plan a call of a tool that
// takes the hypothesis's entity, and read a tool output as support when it mentions the fault.

function userText(request: GenerateRequest): string {
  const message = request.messages.at(-1);
  return message?.role === 'user' ? message.content : '';
}

function proposeCandidates(prompt: string): MockStaticReply {
  const entities = [...prompt.matchAll(/^- (\S+) \((\d+) hops?, ([a-z-]+)/gm)].map((match) => ({
    entity: match[1] ?? '',
    kind: match[3] ?? '',
  }));
  const redis = entities.find((entry) => entry.kind === 'redis');
  const candidates = redis
    ? [
        {
          entity: redis.entity,
          fault: 'redis.memory-fragmentation',
          weight: 0.7,
          reason:
            'a Redis in the path of the alert; slow Redis with no traffic change often means fragmented memory',
        },
      ]
    : entities.slice(0, 1).map((entry) => ({
        entity: entry.entity,
        fault: 'degraded',
        weight: 0.5,
        reason: 'the alerting entity itself',
      }));
  return { object: { candidates } };
}

/** An input for a tool whose required fields are all strings naming an entity; undefined otherwise. */
function inputFor(schema: unknown, entity: string): Record<string, JsonValue> | undefined {
  if (typeof schema !== 'object' || schema === null) return undefined;
  const { properties = {}, required = [] } = schema as {
    properties?: Record<string, unknown>;
    required?: string[];
  };
  const input: Record<string, JsonValue> = {};
  for (const name of required) {
    const type = (properties[name] as { type?: unknown } | undefined)?.type;
    if (type !== 'string' || !/entity|target|ref|service/i.test(name)) return undefined;
    input[name] = entity;
  }
  return input;
}

function planCalls(prompt: string): MockStaticReply {
  const entity = /\(entity (\S+), fault/.exec(prompt)?.[1] ?? '';
  const tools = [...prompt.matchAll(/^- ([A-Za-z0-9_-]+): .*\n {2}input schema: (.*)$/gm)];
  for (const [, tool, schemaText] of tools) {
    const input = inputFor(JSON.parse(schemaText ?? '{}'), entity);
    if (tool && input)
      return { object: { calls: [{ tool, input, reason: `read what ${tool} says about ${entity}` }] } };
  }
  return { object: { calls: [] } };
}

function readOutput(prompt: string): MockStaticReply {
  const fault = /, fault ([a-z0-9.-]+),/.exec(prompt)?.[1] ?? 'degraded';
  const output =
    /<<<BEGIN TOOL OUTPUT DATA[^\n]*\n([\s\S]*)\n<<<END TOOL OUTPUT DATA/.exec(prompt)?.[1] ?? '';
  const keyword = fault.split(/[.-]/).at(-1) ?? fault;
  const mentioned = keyword !== 'degraded' && output.toLowerCase().includes(keyword);
  return {
    object: mentioned
      ? { verdict: 'supports', strength: 'moderate', reason: `the output mentions ${keyword}` }
      : { verdict: 'neutral', strength: 'weak', reason: `the output says nothing about ${keyword}` },
  };
}

/** A scripted model that answers the model reasoner's requests; any other request gets a short text. */
export function createScriptedModel(): MockModel {
  return createMockModel({
    name: 'mock:scripted-sre',
    matchers: [
      {
        when: () => true,
        reply: (request) => {
          const prompt = userText(request);
          switch (request.schema?.name) {
            case 'candidate_causes':
              return proposeCandidates(prompt);
            case 'tool_call_plan':
              return planCalls(prompt);
            case 'tool_output_reading':
              return readOutput(prompt);
            default:
              return 'Nothing to add.';
          }
        },
      },
    ],
  });
}
