// Verifies a Sigstore bundle with sigstore-js (@sigstore/verify), an independent Sigstore implementation, the way
// cosign verifies a key-signed image bundle without a transparency log: the DSSE signature under the given public
// key (found through the bundle's key hint), then the statement's subject against the image digest.
// Usage: NODE_PATH=<dir>/node_modules node sigstore-js-verify.js BUNDLE.json KEY.pem sha256:HEX
'use strict';
const fs = require('fs');
const crypto = require('crypto');
const { bundleFromJSON } = require('@sigstore/bundle');
const { toSignedEntity, toTrustMaterial, Verifier } = require('@sigstore/verify');

const [bundlePath, keyPath, digest] = process.argv.slice(2);
const bundle = bundleFromJSON(JSON.parse(fs.readFileSync(bundlePath, 'utf8')));
const publicKey = crypto.createPublicKey(fs.readFileSync(keyPath, 'utf8'));
const hint = crypto.createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('base64');
const keyFor = (h) => {
  if (h !== hint) {
    throw new Error(`the bundle's key hint ${h} is not the given key's ${hint}`);
  }
  return { publicKey, validFor: () => true };
};
const emptyRoot = { mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1', tlogs: [], certificateAuthorities: [],
  ctlogs: [], timestampAuthorities: [] };
new Verifier(toTrustMaterial(emptyRoot, keyFor), { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 })
  .verify(toSignedEntity(bundle));
const envelope = bundle.content.dsseEnvelope;
if (envelope.payloadType !== 'application/vnd.in-toto+json') {
  throw new Error('payloadType ' + envelope.payloadType);
}
const statement = JSON.parse(Buffer.from(envelope.payload).toString('utf8'));
const [algorithm, hex] = digest.split(':');
if (!statement.subject.some((s) => s.digest && s.digest[algorithm] === hex)) {
  throw new Error('the statement does not name ' + digest);
}
console.log(`sigstore-js verified: ${statement.predicateType} for ${digest}`);
