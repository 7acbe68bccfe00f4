package io.meridian.client;

import com.google.protobuf.ByteString;
import java.util.HexFormat;

/** Key ordering and printing shared by the SDK's value types: unsigned byte order. */
final class Keys {

    private Keys() {
    }

    /** Compares {@code a} and {@code b} as unsigned bytes, shorter prefix first. */
    static int compare(ByteString a, ByteString b) {
        return ByteString.unsignedLexicographicalComparator().compare(a, b);
    }

    /** The first key after every key starting with {@code prefix}; empty when there is none. */
    static ByteString prefixEnd(ByteString prefix) {
        byte[] bytes = prefix.toByteArray();
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] != (byte) 0xff) {
                bytes[i]++;
                return ByteString.copyFrom(bytes, 0, i + 1);
            }
        }
        return ByteString.EMPTY;
    }

    /** The key as quoted text when it is printable ASCII, as {@code 0x…} hex otherwise. */
    static String describe(ByteString key) {
        for (int i = 0; i < key.size(); i++) {
            int b = key.byteAt(i) & 0xff;
            if (b < 0x20 || b > 0x7e) {
                return "0x" + HexFormat.of().formatHex(key.toByteArray());
            }
        }
        return "\"" + key.toStringUtf8() + "\"";
    }
}
