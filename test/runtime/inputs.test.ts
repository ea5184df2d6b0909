import { describe, expect, it } from 'vitest';
import type { WorkflowInput } from '../../lib/model/workflow';
import { defaultInputValues, parseInputArgs, validateInputs } from '../../lib/runtime/inputs';

const region: WorkflowInput = { id: 'region', type: 'choice', required: true, options: ['us-east-1', 'eu-west-1'] };
const dryRun: WorkflowInput = { id: 'dry-run', type: 'boolean', required: false, default: false };
const count: WorkflowInput = { id: 'count', type: 'number', required: false, default: 2 };
const version: WorkflowInput = { id: 'version', type: 'string', required: true };
const environment: WorkflowInput = { id: 'environment', type: 'environment', required: false };
const note: WorkflowInput = { id: 'note', type: 'string', required: false };
const declared = [region, dryRun, count, version, environment, note];

describe('validateInputs', () => {
  it.each([
    ['given values of every type', { region: 'eu-west-1', 'dry-run': true, count: 5, version: 'v1', environment: 'prod', note: 'hi' },
      { region: 'eu-west-1', 'dry-run': true, count: 5, version: 'v1', environment: 'prod', note: 'hi' }],
    ['CLI strings for booleans and numbers', { region: 'us-east-1', 'dry-run': 'true', count: '3.5', version: 'v2' },
      { region: 'us-east-1', 'dry-run': true, count: 3.5, version: 'v2' }],
    ["'false' is false, not a truthy string", { region: 'us-east-1', 'dry-run': 'false', version: 'v2' },
      { region: 'us-east-1', 'dry-run': false, count: 2, version: 'v2' }],
    ['defaults fill what is not given; optional inputs without default stay absent', { region: 'us-east-1', version: 'v3' },
      { region: 'us-east-1', 'dry-run': false, count: 2, version: 'v3' }],
    ['an empty string counts as not given', { region: 'us-east-1', version: 'v3', count: '' },
      { region: 'us-east-1', 'dry-run': false, count: 2, version: 'v3' }],
    ['numbers in exponent and signed notation', { region: 'us-east-1', version: 'v', count: ' -1e3 ' },
      { region: 'us-east-1', 'dry-run': false, count: -1000, version: 'v' }],
  ])('accepts %s', (_case, given, values) => {
    expect(validateInputs(declared, given)).toEqual({ values, errors: [] });
  });

  it.each([
    ['a choice outside the options', { region: 'mars', version: 'v' }, ["input 'region': 'mars' is not one of us-east-1, eu-west-1"]],
    ['a missing required input', { region: 'us-east-1' }, ["input 'version' is required"]],
    ['an empty required input', { region: 'us-east-1', version: '' }, ["input 'version' is required: an empty value is not allowed"]],
    ['a boolean that is neither true nor false', { region: 'us-east-1', version: 'v', 'dry-run': 'yes' },
      ["input 'dry-run': 'yes' is not a boolean (true or false)"]],
    ['a number that does not parse', { region: 'us-east-1', version: 'v', count: '12abc' }, ["input 'count': '12abc' is not a number"]],
    ['a number that is not finite', { region: 'us-east-1', version: 'v', count: '1e999' }, ["input 'count': '1e999' is not a number"]],
    ['a string input given a number (the API sends strings)', { region: 'us-east-1', version: 3 },
      ["input 'version': expected a string, got number 3"]],
    ['a choice given a list', { region: ['us-east-1'], version: 'v' }, ["input 'region': a list is not one of us-east-1, eu-west-1"]],
    ['a misspelt input name', { region: 'us-east-1', version: 'v', regoin: 'x' }, ["unknown input 'regoin' — did you mean 'region'?"]],
    ['a name that only differs in case', { region: 'us-east-1', version: 'v', Count: '1' }, ["unknown input 'Count' — did you mean 'count'?"]],
    ['a name nothing like the declared ones', { region: 'us-east-1', version: 'v', colour: 'red' },
      ["unknown input 'colour': declared inputs are region, dry-run, count, version, environment, note"]],
  ])('rejects %s', (_case, given, errors) => {
    expect(validateInputs(declared, given).errors).toEqual(errors);
  });

  it('reports every mistake at once, declared inputs first', () => {
    expect(validateInputs(declared, { verison: 'v', region: 'mars', count: 'many' }).errors).toEqual([
      "input 'region': 'mars' is not one of us-east-1, eu-west-1",
      "input 'count': 'many' is not a number",
      "input 'version' is required",
      "unknown input 'verison' — did you mean 'version'?",
    ]);
  });

  it('rejects any input for a workflow that declares none', () => {
    expect(validateInputs([], { region: 'x' })).toEqual({ values: {}, errors: ["unknown input 'region': this workflow declares no inputs"] });
  });

  it('does not treat inherited object properties as given inputs', () => {
    const toString: WorkflowInput = { id: 'toString', type: 'string', required: true };
    expect(validateInputs([toString], {}).errors).toEqual(["input 'toString' is required"]);
  });
});

describe('defaultInputValues', () => {
  it('gives the declared defaults, typed, and nothing for inputs without one', () => {
    const textualBoolean: WorkflowInput = { id: 'verbose', type: 'boolean', required: false, default: 'true' };
    expect(defaultInputValues([region, dryRun, count, version, textualBoolean])).toEqual({ 'dry-run': false, count: 2, verbose: true });
  });
});

describe('parseInputArgs', () => {
  it('splits KEY=VALUE at the first equals sign', () => {
    expect(parseInputArgs(['region=eu-west-1', 'query=a=b', 'empty='])).toEqual({
      values: { region: 'eu-west-1', query: 'a=b', empty: '' },
      errors: [],
    });
  });

  it.each([
    [['region'], "--input 'region': expected KEY=VALUE"],
    [['=value'], "--input '=value': expected KEY=VALUE"],
    [['a=1', 'a=2'], "--input 'a' is given more than once"],
  ])('rejects %j', (args, error) => {
    expect(parseInputArgs(args).errors).toEqual([error]);
  });
});

describe('inputs that must never pass (issue 11, finding 5)', () => {
  it.each(['__proto__', 'prototype', 'constructor'])('--input %s=x is refused, not silently dropped', (name) => {
    expect(parseInputArgs([`${name}=x`]).errors).toEqual([`--input '${name}': '${name}' is a reserved name (__proto__, prototype and constructor name JavaScript's object machinery and are never allowed as keys)`]);
  });

  it.each(['__proto__', 'prototype', 'constructor'])('an API start naming the input %s is refused', (name) => {
    const given = JSON.parse(`{"${name}": "x", "version": "v1", "region": "us-east-1"}`) as Record<string, unknown>;
    expect(validateInputs(declared, given).errors).toEqual([`input '${name}': '${name}' is a reserved name (__proto__, prototype and constructor name JavaScript's object machinery and are never allowed as keys)`]);
  });

  it('a required input set to "" is refused, even with a default', () => {
    const withDefault: WorkflowInput = { id: 'target', type: 'string', required: true, default: 'prod' };
    expect(validateInputs([withDefault, version], { target: '', version: '' }).errors).toEqual([
      "input 'target' is required: an empty value is not allowed",
      "input 'version' is required: an empty value is not allowed",
    ]);
    expect(validateInputs([withDefault], {}).values).toEqual({ target: 'prod' });
  });

  it('a NUL character is refused with a clear error', () => {
    expect(validateInputs([note], { note: 'a\u0000b' }).errors).toEqual([
      "input 'note' contains a NUL character (\\0), which no environment variable or command line can carry",
    ]);
  });
});
