package dev.git.webhooks.ops.console;

import java.util.List;
import java.util.Map;

import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

/**
 * What every console page must hold to in a real browser, read by the test's own scripts (the pages have none):
 * no inline style and no timed refresh of a whole page, a favicon, the active section marked {@code aria-current},
 * text at a contrast of at least 4.5:1 against what is behind it, every progress bar and every repeated action
 * named on its own, and the layout: at 1280 px a table's last column inside the window, at 390 px every row a card
 * whose status comes first and whose status and actions are on screen.
 */
final class PageChecks {

    /** Each check answers a list of problems, empty when the page holds to it. */
    private static final String STRUCTURE = """
            var p = [];
            if (document.querySelectorAll('[style]').length) p.push('inline style on ' + document.querySelectorAll('[style]')[0].outerHTML.slice(0, 120));
            if (document.querySelectorAll('meta[http-equiv=refresh]').length) p.push('a timed refresh of the whole page');
            if (!document.querySelector('link[rel=icon]')) p.push('no favicon');
            var current = document.querySelectorAll('nav a[aria-current=page]').length;
            if (current > 1 || document.querySelector('nav') && !current && !document.getElementById('error-heading')) p.push(current + ' aria-current in the navigation');
            var bars = {};
            document.querySelectorAll('progress').forEach(function (e) {
              if (!e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby') && !(e.labels && e.labels.length)) p.push('an unlabeled progress bar');
              var label = e.getAttribute('aria-label');
              if (label && bars[label]) p.push('two progress bars named "' + label + '"');
              bars[label] = true;
            });
            document.querySelectorAll('table.rows').forEach(function (t) {
              var seen = {};
              t.querySelectorAll('tbody a.button, tbody button, tbody a[aria-label]').forEach(function (e) {
                var name = (e.getAttribute('aria-label') || e.textContent).trim();
                if (seen[name]) p.push('two actions named "' + name + '" in #' + t.id);
                seen[name] = true;
              });
            });
            document.querySelectorAll('iframe').forEach(function (f) { if (!f.title) p.push('a frame without a title'); });
            return p;""";

    private static final String CONTRAST = """
            function rgb(c) { var m = c.match(/[\\d.]+/g); return m ? m.map(Number) : [0, 0, 0, 0]; }
            function lum(c) { var a = [c[0], c[1], c[2]].map(function (v) { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
              return 0.2126 * a[0] + 0.7152 * a[1] + 0.0722 * a[2]; }
            function bg(e) { for (; e; e = e.parentElement) { var c = rgb(getComputedStyle(e).backgroundColor); if (c.length < 4 || c[3] > 0) return c; } return [255, 255, 255]; }
            var p = [];
            document.querySelectorAll('.badge, .muted, .small, nav a, th, button, a.button, .field-error, .notice, .problem, .warning, label, dt').forEach(function (e) {
              if (!e.offsetParent && getComputedStyle(e).position !== 'fixed') return;
              var a = lum(rgb(getComputedStyle(e).color)), b = lum(bg(e));
              var ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
              if (ratio < 4.5) p.push(ratio.toFixed(2) + ':1 for "' + e.textContent.trim().slice(0, 40) + '" (' + e.className + ')');
            });
            return p;""";

    private static final String DESKTOP = """
            var p = [];
            document.querySelectorAll('table.rows').forEach(function (t) {
              var box = t.closest('.scroll') || t;
              if (box.scrollWidth > box.clientWidth + 1) p.push('#' + t.id + ' scrolls sideways (' + box.scrollWidth + ' > ' + box.clientWidth + ')');
              t.querySelectorAll('tbody tr').forEach(function (r) {
                var last = r.lastElementChild.getBoundingClientRect();
                if (last.right > window.innerWidth) p.push('#' + t.id + ': its last column ends at ' + last.right + ' px');
              });
            });
            return p;""";

    private static final String PHONE = """
            var p = [];
            document.querySelectorAll('table.rows').forEach(function (t) {
              if (getComputedStyle(t.querySelector('thead')).position !== 'absolute') p.push('#' + t.id + ' is not shown as cards');
              Array.prototype.slice.call(t.querySelectorAll('tbody tr'), 0, 5).forEach(function (r) {
                if (t.hasAttribute('data-no-status')) return; // a table of things without a state (the event types)
                var status = r.querySelector('td.status');
                if (!status) { p.push('#' + t.id + ': a row without a status'); return; }
                var s = status.getBoundingClientRect();
                if (s.width === 0 || s.left < 0 || s.right > window.innerWidth) p.push('#' + t.id + ': the status is off screen');
                r.querySelectorAll('td').forEach(function (c) { if (c !== status && c.getBoundingClientRect().top < s.top) p.push('#' + t.id + ': "' + c.textContent.trim().slice(0, 30) + '" comes before the status'); });
                r.querySelectorAll('td.actions-cell a, td.actions-cell button').forEach(function (a) {
                  var b = a.getBoundingClientRect();
                  if (b.width === 0 || b.left < 0 || b.right > window.innerWidth) p.push('#' + t.id + ': the action "' + a.textContent.trim() + '" is off screen');
                });
              });
            });
            if (document.documentElement.scrollWidth > document.documentElement.clientWidth) p.push('the page scrolls sideways');
            return p;""";

    /**
     * A page as {@code ConsoleBrowserTest.checked} reads it, in one call to the browser rather than nine (each is a
     * round trip through chromedriver, and every page is checked): its address, its source serialized as
     * chromedriver's {@code getPageSource} does, its script elements, whether markup that data brought in ran, and
     * the problems that each check found.
     */
    record Reading(String url, String source, long scripts, String xss, List<String> structure,
            List<String> contrast, List<String> layout) {
    }

    private PageChecks() {
    }

    @SuppressWarnings("unchecked")
    static Reading read(WebDriver driver, boolean phone) {
        Map<String, Object> read = (Map<String, Object>) ((JavascriptExecutor) driver).executeScript(
                "return {url: location.href, source: new XMLSerializer().serializeToString(document), "
                        + "scripts: document.scripts.length, xss: typeof window.__xss, "
                        + "structure: (function () {" + STRUCTURE + "})(), "
                        + "contrast: (function () {" + CONTRAST + "})(), "
                        + "layout: (function () {" + (phone ? PHONE : DESKTOP) + "})()};");
        return new Reading((String) read.get("url"), (String) read.get("source"), (Long) read.get("scripts"),
                (String) read.get("xss"), (List<String>) read.get("structure"), (List<String>) read.get("contrast"),
                (List<String>) read.get("layout"));
    }
}
