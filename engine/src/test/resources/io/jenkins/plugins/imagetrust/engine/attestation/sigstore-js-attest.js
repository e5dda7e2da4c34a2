// Signs the given in-toto statement file, as it is, into a Sigstore bundle with sigstore-js (@sigstore/sign,
// DSSEBundleBuilder, no witnesses), as cosign 3's attest --key does without a transparency log, and prints the bundle.
// Usage: NODE_PATH=<dir>/node_modules node sigstore-js-attest.js KEY.pkcs8.pem STATEMENT.json
'use strict';
const fs = require('fs');
const crypto = require('crypto');
const { DSSEBundleBuilder } = require('@sigstore/sign');
const { bundleToJSON } = require('@sigstore/bundle');

const [keyPath, statementPath] = process.argv.slice(2);
const privateKey = crypto.createPrivateKey(fs.readFileSync(keyPath, 'utf8'));
const publicKey = crypto.createPublicKey(privateKey);
const hint = crypto.createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('base64');
const signer = {
  sign: async (data) => ({
    signature: crypto.sign(privateKey.asymmetricKeyType === 'ed25519' ? null : 'sha256', data, privateKey),
    key: { $case: 'publicKey', publicKey: publicKey.export({ type: 'spki', format: 'pem' }), hint },
  }),
};
new DSSEBundleBuilder({ signer, witnesses: [] })
  .create({ data: fs.readFileSync(statementPath), type: 'application/vnd.in-toto+json' })
  .then((bundle) => process.stdout.write(JSON.stringify(bundleToJSON(bundle))))
  .catch((e) => { console.error(e); process.exit(1); });
