package io.meridian.bench.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * A small line plot written as PNG with Java2D (headless), for the figures in
 * {@code docs/benchmarks.md}: no plotting library or tool is needed.
 *
 * <pre>
 * LinePlot OUT.png "title" "x label" "y label" "series name:x=y,x=y,..." ["series:..."]
 * </pre>
 */
public final class LinePlot {

    private static final int WIDTH = 720;
    private static final int HEIGHT = 440;
    private static final int LEFT = 90;
    private static final int RIGHT = 30;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;
    private static final Color[] COLOURS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0x9467bd), new Color(0xff7f0e)};

    /** One named line: its points in x order. */
    record Series(String name, double[] xs, double[] ys) {

        /** Parses {@code "name:x=y,x=y"}. */
        static Series parse(String text) {
            int colon = text.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("a series is name:x=y,x=y,...: " + text);
            }
            String[] points = text.substring(colon + 1).split(",");
            double[] xs = new double[points.length];
            double[] ys = new double[points.length];
            for (int i = 0; i < points.length; i++) {
                String[] xy = points[i].split("=");
                if (xy.length != 2) {
                    throw new IllegalArgumentException("a point is x=y: " + points[i]);
                }
                xs[i] = Double.parseDouble(xy[0]);
                ys[i] = Double.parseDouble(xy[1]);
            }
            return new Series(text.substring(0, colon), xs, ys);
        }
    }

    private LinePlot() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 5) {
            System.err.println("usage: LinePlot OUT.png title xlabel ylabel series...  (series: name:x=y,x=y,...)");
            System.exit(2);
        }
        List<Series> series = new ArrayList<>();
        for (int i = 4; i < args.length; i++) {
            series.add(Series.parse(args[i]));
        }
        write(Path.of(args[0]), args[1], args[2], args[3], series);
    }

    static void write(Path out, String title, String xLabel, String yLabel, List<Series> series) throws IOException {
        double xMax = 0;
        double yMax = 0;
        for (Series s : series) {
            for (int i = 0; i < s.xs().length; i++) {
                xMax = Math.max(xMax, s.xs()[i]);
                yMax = Math.max(yMax, s.ys()[i]);
            }
        }
        xMax = niceCeiling(xMax);
        yMax = niceCeiling(yMax);
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.setColor(Color.BLACK);
        g.drawString(title, LEFT, 28);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int t = 0; t <= 5; t++) {
            int y = TOP + plotH - plotH * t / 5;
            int x = LEFT + plotW * t / 5;
            g.setColor(new Color(0xe0e0e0));
            g.drawLine(LEFT, y, LEFT + plotW, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(format(yMax * t / 5), 36, y + 4);
            g.drawString(format(xMax * t / 5), x - 8, TOP + plotH + 18);
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, plotW, plotH);
        g.drawString(xLabel, LEFT + plotW / 2 - 40, HEIGHT - 18);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        rotated.drawString(yLabel, -(TOP + plotH / 2 + 60), 18);
        rotated.dispose();
        g.setStroke(new BasicStroke(2f));
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            g.setColor(COLOURS[k % COLOURS.length]);
            int px = -1;
            int py = -1;
            for (int i = 0; i < s.xs().length; i++) {
                int x = LEFT + (int) Math.round(plotW * s.xs()[i] / xMax);
                int y = TOP + plotH - (int) Math.round(plotH * s.ys()[i] / yMax);
                g.fillOval(x - 4, y - 4, 8, 8);
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                }
                px = x;
                py = y;
            }
            g.fillRect(LEFT + 12, TOP + 12 + 18 * k, 14, 4);
            g.drawString(s.name(), LEFT + 32, TOP + 18 + 18 * k);
        }
        g.dispose();
        ImageIO.write(image, "png", out.toFile());
    }

    /** The next of 1, 2, 5 × 10^k at or above {@code v}. */
    static double niceCeiling(double v) {
        if (v <= 0) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
        for (double step : new double[] {1, 2, 5, 10}) {
            if (step * magnitude >= v) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String format(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
