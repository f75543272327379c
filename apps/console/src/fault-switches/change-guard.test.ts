import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { changeRefusal } from './change-guard.js';

const own = 'http://127.0.0.1:3100';
const json = { 'content-type': 'application/json', origin: own };

describe('changeRefusal', () => {
  it('lets a JSON request from the console’s own page change the system in workshop mode', () => {
    assert.equal(changeRefusal(true, json, own), undefined);
    assert.equal(changeRefusal(true, { 'content-type': 'application/json' }, own), undefined, 'a client that sends no Origin (curl)');
  });

  it('refuses every change outside workshop mode, naming the switch', () => {
    assert.match(changeRefusal(false, json, own) ?? '', /read-only: start it with FAULTLINE_WORKSHOP_MODE=true/);
  });

  it('refuses what another site’s page could send without asking: a form or text/plain post, or another origin', () => {
    assert.match(changeRefusal(true, { 'content-type': 'text/plain', origin: own }, own) ?? '', /application\/json/);
    assert.match(changeRefusal(true, { 'content-type': 'application/x-www-form-urlencoded' }, own) ?? '', /application\/json/);
    assert.match(changeRefusal(true, { 'content-type': 'application/json', origin: 'http://evil.example' }, own) ?? '', /not from http:\/\/evil.example/);
  });
});
