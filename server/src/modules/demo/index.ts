export type {
  DemoTenant, DemoMember, DemoDevice, DemoPatient, DemoSpan, DemoUtterance, DemoCall, DemoCaseNote, DemoAppointment, DemoData,
} from './types.ts';
export { generateDemo } from './generate.ts';
export { demoGoldDocuments } from './gold.ts';
export { seedDemo, seedDemoWorkloads, syntheticWav, DEMO_CHUNK_BYTES, type SeedResult } from './seed.ts';
