package io.meridian.storage;

/**
 * The group has an interrupted span import ({@link MvccStore#incompleteImports()}), so its spans
 * hold a mix of old and imported data. The group must import a snapshot covering those spans
 * again before it applies batches or exports. Nothing was written.
 */
public final class IncompleteImportException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient IncompleteImport incomplete;

    /** Creates the exception for {@code incomplete}. */
    public IncompleteImportException(IncompleteImport incomplete, String refused) {
        super(refused + " refused: " + incomplete.group() + " has an incomplete import of "
                + incomplete.spans() + "; import a snapshot covering those spans first");
        this.incomplete = incomplete;
    }

    /** The interrupted import. */
    public IncompleteImport incomplete() {
        return incomplete;
    }
}
