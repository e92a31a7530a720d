/** CSV for spreadsheets, formula-safe (R-AUDIT-1, R-DATA-4). */
export { csvCell, csvDocument, neutraliseFormula, type CsvValue } from './csv.ts';
