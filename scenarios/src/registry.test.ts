import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scenarios } from './registry.js';

describe('the registered scenarios', () => {
  it('declares the pitfall switches of every scenario for both modes, as environment variables with a value', () => {
    for (const { name, switches } of scenarios) {
      for (const mode of ['naive', 'correct'] as const) {
        assert.ok(switches[mode], `${name} declares no ${mode} switches`);
        for (const [variable, value] of Object.entries(switches[mode])) {
          assert.match(variable, /^[A-Z][A-Z0-9_]*$/, `${name}'s ${mode} switch ${variable} is no environment variable name`);
          assert.ok(value.length > 0, `${name}'s ${mode} switch ${variable} has no value`);
        }
      }
    }
  });

  it('flips, in a scenario with a switch, the same settings to different values in naive and correct mode', () => {
    const switched = scenarios.filter((s) => Object.keys(s.switches.naive).length + Object.keys(s.switches.correct).length > 0);
    assert.ok(switched.length > 0, 'no scenario has a pitfall switch');
    for (const { name, switches } of switched) {
      assert.deepEqual(Object.keys(switches.naive).sort(), Object.keys(switches.correct).sort(), `${name} sets different settings per mode`);
      assert.notDeepEqual(switches.naive, switches.correct, `${name}'s naive and correct switches are the same`);
    }
  });
});
