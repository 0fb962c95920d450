// Audit pages with Lighthouse: one Chromium, every page x preset x run in turn.
//
// Run by `python -m semaine.probes.lighthouse` (which checks Node, Chromium and the
// installed Lighthouse first) as `node lighthouse.mjs PLAN.json`, once per lane. The plan
// names the audits (page and preset), runs, the browser, the output folder and the index
// file to write. The first `full_runs` runs of an audit score every category, the others
// performance alone (the other categories do not vary from run to run: docs/pipeline.md).
// For each audit it keeps the median run (Lighthouse's own computeMedianRun over every
// run: the run closest to the median FCP and TTI) and, when that run did not score every
// category, the first run too; writes their JSON and HTML reports, and writes the index
// (the Python probe merges the lanes' into `lighthouse.json`, which the pipeline's
// evaluation reads). Exit status: 0 every audit ran, 1 some did not (the index says why),
// 2 nothing could run (the index's `error` says why).
import {readFileSync, writeFileSync, mkdirSync} from 'node:fs';
import {join} from 'node:path';

import * as chromeLauncher from 'chrome-launcher';
import lighthouse, {defaultConfig, desktopConfig, generateReport} from 'lighthouse';
import {computeMedianRun} from 'lighthouse/core/lib/median-run.js';

const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'];
const CONFIGS = {desktop: desktopConfig, mobile: defaultConfig};
// Audits that weigh nothing in any score but cost time in every run: the back/forward
// cache check navigates away and back; the screenshots only illustrate the HTML report.
const SKIPPED_AUDITS = ['bf-cache', 'screenshot-thumbnails', 'final-screenshot'];
// What a performance-only run computes: the audits the performance score weighs (its
// metrics), and time to interactive, which computeMedianRun reads. Every other audit
// of the category weighs nothing, and its gatherers cost time in every run.
const PERFORMANCE_AUDITS = [
  ...defaultConfig.categories.performance.auditRefs.filter(ref => ref.weight > 0).map(ref => ref.id),
  'interactive',
];

const plan = JSON.parse(readFileSync(process.argv[2], 'utf8'));
mkdirSync(plan.output_dir, {recursive: true});
const started = Date.now();
const index = {
  lighthouse_version: null,
  browser: null,
  runs_per_audit: plan.runs,
  full_runs: plan.full_runs,
  median: 'computeMedianRun: the run closest to the median FCP and TTI',
  wait_ms: plan.wait_ms,
  seconds: null,
  error: null,
  audits: [],
};

function writeIndex() {
  index.seconds = Math.round((Date.now() - started) / 100) / 10;
  writeFileSync(join(plan.output_dir, plan.index), JSON.stringify(index, null, 2) + '\n');
}

function scores(lhr) {
  const score = id => (lhr.categories[id] ? lhr.categories[id].score : null);
  return {
    ...Object.fromEntries(CATEGORIES.map(id => [id, score(id) === null ? null : Math.round(score(id) * 100)])),
    fcp_ms: lhr.audits['first-contentful-paint']?.numericValue ?? null,
    tti_ms: lhr.audits['interactive']?.numericValue ?? null,
    runtime_error: lhr.runtimeError ? `${lhr.runtimeError.code}: ${lhr.runtimeError.message}` : null,
  };
}

function median(lhrs) {
  const clean = lhrs.filter(lhr => !lhr.runtimeError);
  if (clean.length !== lhrs.length) return lhrs.find(lhr => lhr.runtimeError);
  try {
    return computeMedianRun(lhrs);
  } catch {
    return lhrs[0]; // a run without FCP or TTI: any run shows what went wrong
  }
}

async function audit(port, page, preset) {
  const entry = {
    page: page.page, preset, url: page.url, report: null, html: null, median_run: null,
    full_report: null, full_html: null, full_run: null, runs: [], error: null,
  };
  const flags = {
    port,
    logLevel: 'error',
    output: 'json',
    disableFullPageScreenshot: true,
    pauseAfterFcpMs: plan.wait_ms,
    pauseAfterLoadMs: plan.wait_ms,
    networkQuietThresholdMs: plan.wait_ms,
    cpuQuietThresholdMs: plan.wait_ms,
  };
  const base = CONFIGS[preset];
  const config = {...base, settings: {...base.settings, skipAudits: SKIPPED_AUDITS}};
  const lhrs = [];
  for (let run = 0; run < plan.runs; run++) {
    try {
      const only = run < plan.full_runs ? {onlyCategories: CATEGORIES} : {onlyAudits: PERFORMANCE_AUDITS};
      const result = await lighthouse(page.url, {...flags, ...only}, config);
      lhrs.push(result.lhr);
      entry.runs.push(scores(result.lhr));
      if (result.lhr.runtimeError) break; // a page that did not load will not on a rerun
    } catch (error) {
      entry.error = `run ${run + 1} of ${plan.runs} failed: ${String(error.message || error).split('\n')[0]}`;
      return entry;
    }
  }
  const chosen = median(lhrs);
  entry.median_run = lhrs.indexOf(chosen) + 1;
  index.lighthouse_version ??= chosen.lighthouseVersion;
  index.browser ??= chosen.environment?.hostUserAgent ?? null;
  const name = `${page.slug}.${preset}`;
  [entry.report, entry.html] = writeReports(chosen, name);
  // The categories the median run did not score come from the first run, which scored them all.
  const full = entry.median_run <= plan.full_runs ? chosen : lhrs[0];
  entry.full_run = lhrs.indexOf(full) + 1;
  [entry.full_report, entry.full_html] = full === chosen ? [entry.report, entry.html] : writeReports(full, `${name}.run-${entry.full_run}`);
  const failed = chosen.runtimeError ?? full.runtimeError;
  if (failed) entry.error = `${failed.code}: ${failed.message}`;
  return entry;
}

function writeReports(lhr, name) {
  const [report, html] = [`${name}.report.json`, `${name}.report.html`];
  writeFileSync(join(plan.output_dir, report), JSON.stringify(lhr, null, 1) + '\n');
  writeFileSync(join(plan.output_dir, html), generateReport(lhr, 'html'));
  return [report, html];
}

let chrome = null;
async function stop(signal) {
  if (chrome) await chrome.kill();
  index.error ??= `stopped by ${signal}`;
  writeIndex();
  process.exit(2);
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));

let status = 0;
try {
  chrome = await chromeLauncher.launch({
    chromePath: plan.chrome_path,
    chromeFlags: ['--headless=new', ...plan.chrome_flags],
    handleSIGINT: false,
    logLevel: 'silent',
  });
  for (const planned of plan.audits) {
    const entry = await audit(chrome.port, planned, planned.preset);
    index.audits.push(entry);
    if (entry.error) status = 1;
  }
} catch (error) {
  index.error = `Lighthouse could not run: ${String(error.message || error).split('\n')[0]}`;
  status = 2;
} finally {
  if (chrome) await chrome.kill();
}
writeIndex();
process.exit(status);
