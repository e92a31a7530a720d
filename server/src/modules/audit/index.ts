/**
 * The audit trail's public face (R-AUDIT-1..4). The pure part: canonical leaves, the per-tenant
 * chain, the RFC 9162 Merkle tree and its proofs, signed tree heads, the offline verifier, OCSF and
 * the export bundle. The database parts build on these: `createAuditLog` (the one writer), the
 * sealer, published heads, reads for investigation and the verification of a stored log.
 */
export { CHAIN_GENESIS, EMPTY_TREE_ROOT, chainNext, fromBase64Url, hashChildren, hashFromBase64Url, hashLeaf, toBase64Url } from './hashes.ts';
export {
  FIRST_SEQ,
  LEAF_FIELDS,
  eventLeafHash,
  leafBytes,
  leafText,
  sealableFromRow,
  type AuditEventRow,
  type JsonValue,
  type SealableEvent,
  type SealedEvent,
} from './event.ts';
export {
  assemble,
  consistencyPlan,
  inclusionPlan,
  rootPlan,
  subtreeRefs,
  verifyConsistency,
  verifyInclusion,
  type NodeRef,
  type ProofPlan,
} from './merkle.ts';
export { MemoryLevelStore, MerkleFrontier, MerkleTree, type LevelStore, type StoredNode } from './tree.ts';
export { keyIdOf, publicKeyFromJwk, publicKeyJwk, PublicKeyRing, type KeyRing, type PublicKeyJwk, type SigningKey } from './keys.ts';
export { createFileSigningKeyStore, createMemorySigningKeyStore, type SigningKeyStore } from './key-store.ts';
export {
  TREE_HEAD_DOMAIN,
  checkTreeHeadSignature,
  signTreeHead,
  treeHeadSigningBytes,
  type SignedTreeHead,
  type TreeHead,
  type TreeHeadCheck,
} from './tree-head.ts';
export { VERIFY_FAILURE_CODES, createVerifier, verifyEvents, type AuditVerifier, type VerifyFailureCode, type VerifyReport } from './verifier.ts';
export { OCSF_VERSION, toOcsf, toOcsfSealed, type OcsfRecord } from './ocsf.ts';
export { EXPORT_FORMAT, EXPORT_VERSION, exportLines, verifyExport, type ExportReport } from './export.ts';
export { verifyExportFile, type VerifyFileOptions, type VerifyFileReport } from './verify-file.ts';
export { createAuditLog, type AuditLog } from './append.ts';
export { recordLiteral } from './record-literal.ts';
export { batchArguments, createAuditWriter, type AuditWriter, type AuditWriterOptions, type IssuedRecord } from './writer.ts';
export { createAuditSealer, SEALER_LEASE, type AuditSealer, type MergeDelayStats, type SealerOptions, type SealPassResult } from './sealer.ts';
export { createPublicationGuard, type PublicationGuard, type PublicationState } from './publication-guard.ts';
export { createDirectoryHeadSink, createWitnessHeadSink, mergeHeads, readPublishedHeads, type HeadSink } from './head-sink.ts';
export { allTenants, readHeads, sealedEvents, tenantBySlug, type Queryable, type TenantRef } from './repo.ts';
export { SEALER_LAG_SECONDS_SQL } from './seal-order.ts';
export { queryAuditEvents, traceMember, type AuditEventFilter, type AuditEventPage, type AuditEventView } from './query.ts';
export { MAX_REACHED, MAX_TRACE_PAGE, traceAll, tracePage, traceSummary, type TracePage, type TraceSubject, type TraceSummary } from './trace.ts';
export { verifyTenantLog, type TenantVerifyReport } from './verify-db.ts';
export { inclusionProofOf, type InclusionProof } from './proof.ts';
export { inclusionProofs, type InclusionPath } from './proofs.ts';
