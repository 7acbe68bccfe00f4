/** PNG line plots for {@code docs/benchmarks.md}, drawn with Java2D so that no plotting tool is needed. */
package io.meridian.bench.plot;
