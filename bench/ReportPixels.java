import java.awt.image.BufferedImage;
import java.io.File;
import javax.imageio.ImageIO;

/**
 * Checks a browser's screenshot of a darkscope report, pixel by pixel: the page is not blank,
 * its text and tables are drawn, and its figures are drawn in colour (every series of XChart's
 * palette is saturated; a page whose images failed to load has almost none). Usage:
 * java bench/ReportPixels.java SCREENSHOT.png MIN_FIGURES. Prints the counts; exit 1 on failure.
 */
public class ReportPixels {
    public static void main(String[] args) throws Exception {
        BufferedImage image = ImageIO.read(new File(args[0]));
        int minFigures = Integer.parseInt(args[1]);
        long dark = 0;
        long coloured = 0;
        long nonWhite = 0;
        int colouredRows = 0;
        int runs = 0; // bands of rows holding colour: one per row of figures
        boolean inRun = false;
        for (int y = 0; y < image.getHeight(); y++) {
            int rowColoured = 0;
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int r = (rgb >> 16) & 0xff;
                int g = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                int max = Math.max(r, Math.max(g, b));
                int min = Math.min(r, Math.min(g, b));
                if (max < 245 || min < 245) {
                    nonWhite++;
                }
                if (max < 80) {
                    dark++;
                }
                if (max - min > 100) {
                    coloured++;
                    rowColoured++;
                }
            }
            boolean hasColour = rowColoured > 3;
            colouredRows += hasColour ? 1 : 0;
            if (hasColour && !inRun) {
                runs++;
            }
            inRun = hasColour || inRun && rowColoured > 0;
        }
        long pixels = (long) image.getWidth() * image.getHeight();
        System.out.printf("%dx%d: %.1f %% not white, %.2f %% dark (text), %d coloured pixels in %d rows, %d bands of colour%n",
                image.getWidth(), image.getHeight(), 100.0 * nonWhite / pixels, 100.0 * dark / pixels, coloured, colouredRows, runs);
        boolean ok = nonWhite > pixels / 50 && dark > pixels / 1000 && coloured > 1000L * minFigures && runs >= minFigures / 2;
        System.out.println(ok ? "report pixels: OK" : "report pixels: FAILED (blank page, no text, or figures not drawn)");
        System.exit(ok ? 0 : 1);
    }
}
