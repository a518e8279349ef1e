/**
 * The generator: `../shared/openapi/openapi.en.json` → `src/generated/`.
 *
 * Usage: `npm run generate` (or `tsx scripts/generate.ts [--out <dir>]`). See docs/generator.md.
 */
import { resolve } from "node:path"
import {
  emitBarrel,
  emitEndpoints,
  emitErrorCode,
  emitExamples,
  emitFlashduty,
  emitIdempotentWrites,
  emitOperations,
  emitOperationsTable,
  emitSecretFields,
  emitServiceEntries,
  emitTimeFields
} from "./generator/emitIndex.js"
import { emitService, emitShared } from "./generator/emitModules.js"
import { applyErrata } from "./generator/errata.js"
import { buildModel } from "./generator/model.js"
import { checkSecretOverrides } from "./generator/secretFields.js"
import { loadSpec } from "./generator/spec.js"
import { repoRoot, writeModules } from "./generator/write.js"

const started = performance.now()
const outFlag = process.argv.indexOf("--out")
const outDir = outFlag >= 0 ? resolve(process.argv[outFlag + 1]!) : resolve(repoRoot, "src/generated")

const model = buildModel(applyErrata(loadSpec()))
const shared = emitShared(model)
const services = model.services.map((s) => emitService(model, s))
// Each module's model declarations, by module name (a service class name, or `shared`).
const declared = new Map([
  ["shared", shared.declared ?? []],
  ...model.services.map((s, i) => [s.className, services[i]!.declared ?? []] as const)
])
const modules = [
  shared,
  ...services,
  ...emitServiceEntries(model, declared),
  emitFlashduty(model),
  emitOperations(model),
  emitEndpoints(model),
  emitExamples(model),
  emitErrorCode(model),
  emitBarrel(model, declared)
]
modules.push(
  emitTimeFields(modules.flatMap((m) => m.timeDecisions)),
  emitSecretFields(modules.flatMap((m) => m.secretDecisions ?? [])),
  emitOperationsTable(model),
  emitIdempotentWrites(model)
)
checkSecretOverrides()
writeModules(outDir, modules)

const operations = model.services.reduce((n, s) => n + s.operations.length, 0)
console.log(
  `generated ${modules.length} files, ${model.services.length} services, ${operations} operations into ${outDir} in ${((performance.now() - started) / 1000).toFixed(1)}s`
)
