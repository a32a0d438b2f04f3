// Drives /ui as an operator would and prints what it saw as one JSON object on stdout;
// tests/dashboard/test_dashboard_browser.py compares that with the traffic it sent.
//
// argv[2]: {"url", "scenario": "keyed" | "open", "masterKey", "wrongKey", "outputDir",
//           "waitFor": [[css selector, text], ...]}: figures the page must show before it is
//           read (the gateway settles spend just after each answer, so they may lag a refresh).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { launch, layout, readDashboard, storage, visible, watch } from "./browser.mjs";

const options = JSON.parse(process.argv[2]);
const report = { steps: [] };
const step = (name) => report.steps.push(name);
const FIGURES_TIMEOUT_MS = 20_000;
// Two and a half refreshes (every 3 s): an aborted fetch fails at once.
const REFRESH_WAIT_MS = 8_000;

async function figuresReached(page, waitFor) {
  await page.waitForFunction(
    (expected) => expected.every(([selector, text]) => {
      const node = document.querySelector(selector);
      return node !== null && node.textContent.trim() === text;
    }),
    waitFor,
    { timeout: FIGURES_TIMEOUT_MS, polling: 200 },
  ).catch(() => { report.figuresTimedOut = true; });
}

async function screenshot(page, name) {
  const path = join(options.outputDir, name);
  await page.screenshot({ path, fullPage: true });
  return path;
}

async function keyed(page) {
  await page.goto(`${options.url}/ui`);
  await page.getByTestId("login").waitFor();
  report.loginShownFirst = true;
  report.openBadgeBeforeLogin = await visible(page, "gateway-mode");
  step("login form");

  await page.getByTestId("login-key").fill(options.wrongKey);
  await page.getByTestId("login-submit").click();
  await page.getByTestId("login-error").waitFor();
  report.wrongKeyError = (await page.getByTestId("login-error").textContent()).trim();
  report.formKeptAfterWrongKey = await visible(page, "login");
  report.panelsAfterWrongKey = await visible(page, "panels");
  step("wrong key refused");

  await page.getByTestId("login-key").fill(options.masterKey);
  await page.getByTestId("login-submit").click();
  await page.getByTestId("panels").waitFor();
  await figuresReached(page, options.waitFor);
  report.read = await readDashboard(page);
  report.storage = await storage(page);
  report.loginAfterKey = await visible(page, "login");
  report.logoutShown = await visible(page, "logout");
  step("logged in and read");

  // The figures refresh by themselves: the generation time moves on within a refresh or two.
  const before = report.read.generatedAt;
  await page.waitForFunction(
    (old) => document.querySelector("[data-testid=generated-at]").textContent.trim() !== old,
    before,
    { timeout: REFRESH_WAIT_MS, polling: 200 },
  ).then(() => { report.refreshed = true; }, () => { report.refreshed = false; });
  step("refreshed");

  // A failed refresh: a banner, and the last figures stay.
  await page.route("**/admin/stats", (route) => route.abort());
  await page.getByTestId("refresh-error").waitFor({ timeout: REFRESH_WAIT_MS });
  report.bannerText = (await page.getByTestId("refresh-error").textContent()).trim();
  report.requestsDuringOutage = (await page.getByTestId("traffic-requests").textContent()).trim();
  report.panelsDuringOutage = await visible(page, "panels");
  await page.unroute("**/admin/stats");
  await page.getByTestId("refresh-error").waitFor({ state: "hidden", timeout: REFRESH_WAIT_MS });
  step("failed refresh kept the figures");

  await page.reload();
  await page.getByTestId("panels").waitFor();
  await figuresReached(page, options.waitFor);
  report.loginAfterReload = await visible(page, "login");
  report.readAfterReload = await readDashboard(page);
  step("reloaded, still logged in");

  report.screenshots = { wide: await screenshot(page, "dashboard-1280.png") };
  await page.emulateMedia({ colorScheme: "dark" });
  report.dark = await layout(page);
  report.darkBadgeColors = (await readDashboard(page)).badgeColors;
  report.screenshots.dark = await screenshot(page, "dashboard-1280-dark.png");
  await page.emulateMedia({ colorScheme: "light" });
  report.light = await layout(page);
  step("wide and dark screenshots");

  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForFunction(() => document.documentElement.clientWidth === 390);
  report.phone = await layout(page);
  report.screenshots.phone = await screenshot(page, "dashboard-390.png");
  step("phone screenshot");

  await page.getByTestId("logout").click();
  await page.getByTestId("login").waitFor();
  report.storageAfterLogout = await storage(page);
  report.panelsAfterLogout = await visible(page, "panels");
  await page.reload();
  await page.getByTestId("login").waitFor();
  report.loginAfterLogoutReload = await visible(page, "login");
  step("logged out");
}

async function open(page) {
  await page.goto(`${options.url}/ui`);
  await page.getByTestId("panels").waitFor();
  await figuresReached(page, options.waitFor);
  report.read = await readDashboard(page);
  report.loginShown = await visible(page, "login");
  report.logoutShown = await visible(page, "logout");
  report.mode = (await page.getByTestId("gateway-mode").textContent()).trim();
  report.modeShown = await visible(page, "gateway-mode");
  report.screenshots = { wide: await screenshot(page, "dashboard-open-1280.png") };
  step("open gateway read");
}

async function main() {
  mkdirSync(options.outputDir, { recursive: true });
  const { page, close } = await launch({ width: 1280, height: 900 });
  const seen = watch(page);
  try {
    await (options.scenario === "open" ? open(page) : keyed(page));
  } catch (error) {
    report.error = String(error && error.stack ? error.stack : error);
  } finally {
    report.seen = seen;
    await close();
  }
  process.stdout.write(`${JSON.stringify(report)}\n`);
  process.exitCode = report.error ? 1 : 0;
}

await main();
