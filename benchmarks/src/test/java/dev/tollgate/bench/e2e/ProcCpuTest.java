package dev.tollgate.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProcCpuTest {
    @Test
    void readsUserSystemAndChildrensTicksAfterTheCommandName() {
        // A command name with a space and a parenthesis: fields are counted from the last ')'.
        String line = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 52000 1300 3 0 1234 567 89 10 20 0 57 0 "
                + "1000 9000000000 100000 18446744073709551615 1 1 0 0 0 0 0 4096 17663 0 0 0 17 1 0 0 0 0 0";

        assertThat(ProcCpu.parseStat(line)).containsExactly(1234, 567, 89, 10);
    }

    @Test
    void refusesWhatIsNotAStatLine() {
        assertThatThrownBy(() -> ProcCpu.parseStat("no parentheses here")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProcCpu.parseStat("1 (short) S 1 2")).hasMessageContaining("short");
    }

    @Test
    void samplesThisJvmWhichHasUsedSomeCpu() throws Exception {
        ProcCpu.Sample sample = ProcCpu.sample(ProcessHandle.current().pid());

        assertThat(sample.selfTicks).isPositive();
        assertThat(sample.childrenTicks).isNotNegative();
        assertThat(sample.jitTicks).isNotNegative().isLessThanOrEqualTo(sample.selfTicks);
    }

    @Test
    void tellsJitCompilerThreadsByTheirName() {
        String rest = " S 1 4242 4242 0 -1 4194560 52000 1300 3 0 1234 567 89 10 20 0 57 0";
        assertThat(ProcCpu.isCompilerThread("4243 (C2 CompilerThre)" + rest)).isTrue();
        assertThat(ProcCpu.isCompilerThread("4244 (C1 CompilerThre)" + rest)).isTrue();
        assertThat(ProcCpu.isCompilerThread("4245 (spooler-3)" + rest)).isFalse();
        assertThat(ProcCpu.isCompilerThread("4246 (GC Thread#0)" + rest)).isFalse();
    }

    @Test
    void threadsOfOnePoolShareAGroup() {
        String rest = " S 1 1 1 0 -1 4194368 10 0 0 0 7 3 0 0 20 0 40 0 100 0 0";
        assertThat(ProcCpu.threadGroup("4245 (spooler-3)" + rest)).isEqualTo("spooler-#");
        assertThat(ProcCpu.threadGroup("4246 (GC Thread#12)" + rest)).isEqualTo("GC Thread##");
        assertThat(ProcCpu.threadGroup("4247 (pool-3-thread-1)" + rest)).isEqualTo("pool-#-thread-#");
        assertThat(ProcCpu.threadGroup("4248 (a (b) c)" + rest)).isEqualTo("a (b) c");
    }

    @Test
    void countsThisJvmsCompilerThreads() throws Exception {
        // this JVM's compiler threads have compiled the test framework by now; their names are as HotSpot gives them
        long compilerThreads = java.nio.file.Files.list(java.nio.file.Paths.get("/proc/self/task"))
                .filter(t -> {
                    try {
                        return ProcCpu.isCompilerThread(java.nio.file.Files.readString(t.resolve("stat")));
                    } catch (java.io.IOException gone) {
                        return false;
                    }
                }).count();
        assertThat(compilerThreads).isPositive();
        assertThat(ProcCpu.jitTicks(ProcessHandle.current().pid())).isNotNegative();
    }
}
