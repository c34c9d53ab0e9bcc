package dev.conduit.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Reload after a change, and only then; a change made while the rows are read is not lost. */
class TableWatchTest {
  private final AtomicInteger version = new AtomicInteger();
  private final AtomicInteger loads = new AtomicInteger();

  private TableWatch watch(Runnable duringLoad) {
    return new TableWatch(
        () -> "rows:" + version.get(),
        () -> {
          loads.incrementAndGet();
          duringLoad.run();
        });
  }

  @Test
  void refreshReloadsOnlyWhenTheSignatureMoved() throws Exception {
    TableWatch watch = watch(() -> {});

    watch.refreshIfChanged();
    assertThat(loads).as("never loaded yet").hasValue(1);
    watch.refreshIfChanged();
    assertThat(loads).as("unchanged").hasValue(1);

    version.incrementAndGet();
    watch.refreshIfChanged();
    assertThat(loads).as("changed").hasValue(2);
    watch.refreshIfChanged();
    assertThat(loads).hasValue(2);
  }

  @Test
  void aChangeMadeWhileTheRowsAreReadIsPickedUpByTheNextRefresh() throws Exception {
    TableWatch watch =
        watch(
            () -> {
              if (loads.get() == 1) {
                version.incrementAndGet(); // another instance writes during the first load
              }
            });

    watch.reload();
    watch.refreshIfChanged();

    assertThat(loads).hasValue(2);
  }
}
