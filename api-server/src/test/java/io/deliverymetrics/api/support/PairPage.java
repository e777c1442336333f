package io.deliverymetrics.api.support;

import java.util.List;
import java.util.Map;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;

/**
 * Reads the dashboard's pair page in one snapshot per call (a live refresh may replace its tables
 * at any time): the failures by event and the samples of a failure reason, cell text exactly as the
 * DOM holds it ({@code textContent}).
 */
public final class PairPage {

    /** The reason row of (outcome, error code), found by its data attributes, not by markup. */
    private static final String REASON_ROW =
            """
            const tr = [...document.querySelectorAll('#error-table > tbody > tr[data-outcome]')]
                .find(r => r.dataset.outcome === arguments[0] && r.dataset.errorCode === arguments[1]);
            """;

    private PairPage() {}

    /**
     * The rows of the failures-by-event table, top to bottom: {@code type} and {@code name} from
     * the row's data attributes ({@code null} name when it has none), {@code other} yes/no, and
     * each cell's text by its column.
     */
    @SuppressWarnings("unchecked")
    public static List<Map<String, String>> eventRows(Browser browser) {
        return browser.until(
                d ->
                        (List<Map<String, String>>)
                                browser.script(
                                        """
                                        if (document.getElementById('event-table-box').hidden) return null;
                                        return [...document.querySelectorAll('#event-table > tbody > tr')].map(tr => {
                                          const row = {type: tr.dataset.eventType, name: tr.dataset.eventName ?? null,
                                                       other: tr.dataset.other === 'true' ? 'yes' : 'no'};
                                          for (const td of tr.querySelectorAll('td[data-col]')) row[td.dataset.col] = td.textContent;
                                          return row;
                                        });"""));
    }

    /**
     * Opens the samples of the reason (outcome, error code) from the keyboard (Enter on its
     * disclosure button) and returns the sample rows, each cell's text by its column.
     */
    @SuppressWarnings("unchecked")
    public static List<Map<String, String>> openSamples(
            Browser browser, String outcome, String errorCode) {
        browser.until(
                d -> {
                    WebElement button =
                            (WebElement)
                                    browser.script(
                                            REASON_ROW
                                                    + "return tr ? tr.querySelector('button.disclose') : null;",
                                            outcome,
                                            errorCode);
                    if (button == null) {
                        return null;
                    }
                    try {
                        if (!"true".equals(button.getAttribute("aria-expanded"))) {
                            button.sendKeys(Keys.ENTER);
                        }
                        return "true".equals(button.getAttribute("aria-expanded")) ? true : null;
                    } catch (StaleElementReferenceException refreshed) {
                        return null;
                    }
                });
        return browser.until(
                d ->
                        (List<Map<String, String>>)
                                browser.script(
                                        REASON_ROW
                                                + """
                                                const button = tr && tr.querySelector('button.disclose');
                                                if (!button || button.getAttribute('aria-expanded') !== 'true') return null;
                                                const detail = document.getElementById(button.getAttribute('aria-controls'));
                                                if (detail.hidden) return null;
                                                return [...detail.querySelectorAll('tbody > tr')].map(r => {
                                                  const row = {};
                                                  for (const td of r.querySelectorAll('td[data-col]')) row[td.dataset.col] = td.textContent;
                                                  return row;
                                                });""",
                                        outcome,
                                        errorCode));
    }

    /** The text of the reason row's cell {@code column} (e.g. {@code count}). */
    public static String reasonCell(
            Browser browser, String outcome, String errorCode, String column) {
        return (String)
                browser.script(
                        REASON_ROW
                                + "return tr.querySelector(`td[data-col=${arguments[2]}]`).textContent;",
                        outcome,
                        errorCode,
                        column);
    }
}
