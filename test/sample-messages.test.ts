import { expect } from 'chai';
import { toSampleMessage } from '../activities/sample-messages.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('toSampleMessage', () => {
  it('keeps text and JSON verbatim, including text that happens to be valid base64', () => {
    expect(toSampleMessage(bytes('hello world'))).to.equal('hello world');
    expect(toSampleMessage(bytes('{"a": [1, 2]}'))).to.equal('{"a": [1, 2]}');
    expect(toSampleMessage(bytes('aGVsbG8='))).to.equal('aGVsbG8=');
    expect(toSampleMessage(bytes('tab\tnew\nline\r'))).to.equal('tab\tnew\nline\r');
    expect(toSampleMessage(bytes('日本語 ✓'))).to.equal('日本語 ✓');
  });

  it('marks binary, invalid UTF-8 and control characters as base64', () => {
    expect(toSampleMessage(new Uint8Array([0xc3, 0x28]))).to.equal('<binary record, 2 bytes> base64:wyg=');
    expect(toSampleMessage(new Uint8Array([0, 1, 2]))).to.equal('<binary record, 3 bytes> base64:AAEC');
    expect(toSampleMessage(bytes('bell\u0007'))).to.equal('<binary record, 5 bytes> base64:YmVsbAc=');
  });

  it('returns an empty string for an empty record', () => {
    expect(toSampleMessage(new Uint8Array())).to.equal('');
  });

  it('caps each message and never splits a surrogate pair', () => {
    const big = toSampleMessage(bytes('x'.repeat(1024 * 1024)), 100);
    expect(big).to.have.length.at.most(100);
    expect(big).to.match(/…<truncated, 1048576 bytes in all>$/);
    const emoji = toSampleMessage(bytes('😀'.repeat(200)), 60);
    expect(() => encodeURIComponent(emoji), 'well-formed UTF-16').to.not.throw();
    expect(emoji.length).to.be.at.most(60);
  });
});
