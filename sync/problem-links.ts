/**
 * Links from problems to the place to fix them. The fetch step keeps each table's link builder (Page.link); once the
 * problems are collected, each one about a row gets the address of its record or cell (`Problem.url`), and the report
 * lists them structured (`SyncReport.problems`) next to the lines of `errors` and `warnings`.
 */
import { formatProblem, kindOf, type Problem } from './problems.ts';
import type { ReportedProblem } from './report.ts';
import { formatWhere, type Page } from './sources/types.ts';

export type Link = NonNullable<Page['link']>;

/** Link builders by source and table (see linkKey). */
export type Links = ReadonlyMap<string, Link>;

/** The key of a table in Links. */
export const linkKey = (source: string, table: string): string => `${source}\u0000${table}`;

/** The problem with the address of its record or cell, when its table has a link builder that knows it. */
export function withUrl(problem: Problem, links: Links): Problem {
  if (problem.url !== undefined) return problem;
  const url = links.get(linkKey(problem.source, problem.table))?.(problem.where, problem.field);
  return url === undefined ? problem : { ...problem, url };
}

/** The problem as the report lists it, said as `severity` (a left-out row's errors are said as warnings). */
export function reportedProblem(problem: Problem, severity: Problem['severity'] = problem.severity): ReportedProblem {
  const { source, table, field, message, url } = problem;
  return {
    severity,
    source,
    table,
    where: formatWhere(problem.where),
    ...(field === undefined ? {} : { field }),
    message,
    ...(url === undefined ? {} : { url }),
    kind: kindOf(problem),
    text: formatProblem(problem),
  };
}
