package dev.git.webhooks.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium, headless, driven through its chromedriver (packages {@code chromium} and
 * {@code chromium-driver}; {@code .ci/run} installs them). Flags keep it off the network, which this machine does
 * not have. Screenshots, when asked for, go to {@code target/console-screenshots}.
 */
public final class Browser implements AutoCloseable {

    public static final Dimension DESKTOP = new Dimension(1280, 800);
    public static final Dimension PHONE = new Dimension(390, 844);
    static final Path CHROMIUM = Path.of(System.getProperty("webhooks.test.chromium", "/usr/bin/chromium"));
    static final Path DRIVER = Path.of(System.getProperty("webhooks.test.chromedriver", "/usr/bin/chromedriver"));
    public static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    private final ChromeDriver driver;
    private final Path profile;

    public Browser() throws IOException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(DRIVER)) {
            throw new IllegalStateException("The browser tests need Chromium and its driver: apt-get install -y "
                    + "chromium chromium-driver (looked for " + CHROMIUM + " and " + DRIVER + ")");
        }
        profile = Files.createTempDirectory("console-browser-");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile());
        // the browser's console (errors, CSP violations) is read after every page: see problems()
        options.setCapability("goog:loggingPrefs", java.util.Map.of("browser", "ALL"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-extensions", "--user-data-dir=" + profile, "--window-size=1280,800");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
        driver.manage().window().setSize(DESKTOP);
        if (SCREENSHOTS_ON) {
            Files.createDirectories(SCREENSHOTS);
        }
    }

    public WebDriver driver() {
        return driver;
    }

    /**
     * Waits for a condition, tried every 50 ms: a page that a click leads to is mostly there at once or a few
     * milliseconds later, and a wait tried every 200 ms spent the rest of those 200 ms for nothing. An element that
     * a reload replaced while the condition read it (a progress frame refreshes itself) is tried again.
     */
    public WebDriverWait waiting(Duration atMost) {
        WebDriverWait wait = new WebDriverWait(driver, atMost, Duration.ofMillis(50));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        return wait;
    }

    /**
     * Forgets every cookie, without a page of the site loaded first (which {@code deleteAllCookies} needs, as it
     * deletes only the current page's).
     */
    public void clearCookies() {
        driver.executeCdpCommand("Network.clearBrowserCookies", java.util.Map.of());
    }

    /** Whether {@link #screenshot} saves anything: {@code -Dwebhooks.test.screenshots=true}. */
    static final boolean SCREENSHOTS_ON = Boolean.getBoolean("webhooks.test.screenshots");

    /**
     * Saves the page as {@code target/console-screenshots/<name>.png} at the window's current size, when asked for
     * with {@code -Dwebhooks.test.screenshots=true} (for a look at the console's pages; each costs the browser a
     * rendering and a PNG, which the suite does not need to prove anything).
     */
    public void screenshot(String name) throws IOException {
        if (SCREENSHOTS_ON) {
            byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
            Files.write(SCREENSHOTS.resolve(name + ".png"), png);
        }
    }

    /**
     * What the browser's console logged since the last call: errors (a resource that failed, a script error) and
     * every Content Security Policy violation, whatever its level.
     */
    public java.util.List<String> problems() {
        return driver.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue()
                        || e.getMessage().contains("Content Security Policy"))
                .map(e -> e.getLevel() + " " + e.getMessage()).toList();
    }

    public void size(Dimension size) {
        driver.manage().window().setSize(size);
    }

    @Override
    public void close() {
        driver.quit();
    }
}
