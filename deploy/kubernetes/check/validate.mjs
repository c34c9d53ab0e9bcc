// Validates every object of a rendered kustomization (YAML on stdin) against the Kubernetes
// OpenAPI schemas of kubernetes-models, and cert-manager's and the Prometheus Operator's CRD
// schemas. Offline: the schemas ship inside the npm packages. Prints one line per object and
// exits 1 on the first kind it does not know or any invalid object.
//   kubectl kustomize deploy/kubernetes/overlays/production | node validate.mjs
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const packages = {
  "cert-manager.io": "@kubernetes-models/cert-manager",
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator",
};

async function modelOf(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const base = packages[group] ?? "kubernetes-models";
  const path = group === "" ? `${base}/v1/${kind}` : `${base}/${group}/${version}/${kind}`;
  try {
    return (await import(path))[kind];
  } catch (e) {
    throw new Error(`no schema for ${apiVersion} ${kind} (${path}): ${e.message}`);
  }
}

const text = readFileSync(0, "utf8");
let failures = 0;
let count = 0;
for (const doc of parseAllDocuments(text)) {
  const object = doc.toJS();
  if (!object) continue;
  count++;
  const name = `${object.kind}/${object.metadata?.name}`;
  try {
    const Model = await modelOf(object.apiVersion, object.kind);
    new Model(object).validate();
    console.log(`valid   ${name}`);
  } catch (e) {
    failures++;
    console.log(`INVALID ${name}: ${e.message}`);
  }
}
console.log(`${count} objects, ${failures} invalid`);
process.exit(failures === 0 && count > 0 ? 0 : 1);
