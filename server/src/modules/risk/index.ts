/** R-SESS-2: live risk signals in every decision (facts read in the request's transaction, a rule set as data). */
export { createRiskAssessor, riskAuditMetadata, type RiskAssessor, type RiskContext } from './assess.ts';
export { createRiskFactReader, networkPrefix, isOffHours, workingHours, type RiskFactReader } from './facts.ts';
export { assessRisk, loadRiskRules, parseRiskRules, FACT_SOURCES, type RiskFacts, type RiskRuleSet, type RiskLevel } from './rules.ts';
export { countrySource, openCountryDatabase, packagedGeoipPath, type CountryOf } from './geoip.ts';
