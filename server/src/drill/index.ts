export { runDrill, runScenarios, socketOperator, type DrillOptions, type Operator } from './run.ts';
export { allScenarios, PT, TM } from './scenarios/index.ts';
export { reportHtml, summaryLine, writeReports, type DrillReport } from './report.ts';
export type { Result, Scenario, World } from './scenario.ts';
