package io.meridian.bench.ratis;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Just enough JSON for one-line results and the servers' {@code @@STATS} replies. */
final class Json {

    private final StringBuilder sb = new StringBuilder("{");

    private Json() {
    }

    static Json obj() {
        return new Json();
    }

    private Json key(String k) {
        if (sb.length() > 1) {
            sb.append(',');
        }
        sb.append(quote(k)).append(':');
        return this;
    }

    Json put(String k, String v) {
        key(k).sb.append(v == null ? "null" : quote(v));
        return this;
    }

    Json put(String k, long v) {
        key(k).sb.append(v);
        return this;
    }

    Json put(String k, double v) {
        key(k).sb.append(Double.isFinite(v) ? String.format(Locale.ROOT, "%.1f", v) : "null");
        return this;
    }

    Json put(String k, boolean v) {
        key(k).sb.append(v);
        return this;
    }

    /** A value that is already JSON (an object or array). */
    Json raw(String k, String json) {
        key(k).sb.append(json);
        return this;
    }

    Json put(String k, Map<String, String> m) {
        Json o = obj();
        m.forEach(o::put);
        return raw(k, o.toString());
    }

    @Override
    public String toString() {
        return sb + "}";
    }

    static String quote(String s) {
        StringBuilder q = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                default -> {
                    if (c < 0x20) {
                        q.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        q.append(c);
                    }
                }
            }
        }
        return q.append('"').toString();
    }

    /** The integer value of the first {@code "name":123} in {@code json}. */
    static int intField(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\":(-?[0-9]+)").matcher(json);
        if (!m.find()) {
            throw new IllegalArgumentException("no integer field " + name + " in " + json);
        }
        return Integer.parseInt(m.group(1));
    }

    /** The raw text of the first {@code "name":{...}} object in {@code json} (no nesting inside). */
    static String objectField(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\":(\\{[^{}]*\\})").matcher(json);
        return m.find() ? m.group(1) : "{}";
    }
}
