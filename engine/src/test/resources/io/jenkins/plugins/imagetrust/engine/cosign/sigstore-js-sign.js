// Signs an image statement as cosign 3 does (no subject name, the annotations on the subject, predicate {}) into a
// Sigstore bundle with sigstore-js (@sigstore/sign, DSSEBundleBuilder, no witnesses) and prints the bundle JSON.
// Usage: NODE_PATH=<dir>/node_modules node sigstore-js-sign.js KEY.pkcs8.pem sha256:HEX '{"k":"v"}'
'use strict';
const fs = require('fs');
const crypto = require('crypto');
const { DSSEBundleBuilder } = require('@sigstore/sign');
const { bundleToJSON } = require('@sigstore/bundle');

const [keyPath, digest, annotations] = process.argv.slice(2);
const privateKey = crypto.createPrivateKey(fs.readFileSync(keyPath, 'utf8'));
const publicKey = crypto.createPublicKey(privateKey);
const hint = crypto.createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('base64');
const signer = {
  sign: async (data) => ({
    signature: crypto.sign(privateKey.asymmetricKeyType === 'ed25519' ? null : 'sha256', data, privateKey),
    key: { $case: 'publicKey', publicKey: publicKey.export({ type: 'spki', format: 'pem' }), hint },
  }),
};
const [algorithm, hex] = digest.split(':');
const statement = {
  _type: 'https://in-toto.io/Statement/v1',
  subject: [{ digest: { [algorithm]: hex }, annotations: JSON.parse(annotations) }],
  predicateType: 'https://sigstore.dev/cosign/sign/v1',
  predicate: {},
};
new DSSEBundleBuilder({ signer, witnesses: [] })
  .create({ data: Buffer.from(JSON.stringify(statement)), type: 'application/vnd.in-toto+json' })
  .then((bundle) => process.stdout.write(JSON.stringify(bundleToJSON(bundle))))
  .catch((e) => { console.error(e); process.exit(1); });
