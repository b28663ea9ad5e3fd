import Engine
import Testing

struct MachineTests {
    @Test func parsesModelAndSIMDFlags() {
        let cpuinfo = """
            processor\t: 0
            model name\t: AMD EPYC 9B14
            flags\t\t: fpu sse4_2 avx avx2 fma avx512f avx512bw

            processor\t: 1
            model name\t: AMD EPYC 9B14
            flags\t\t: fpu
            """
        let machine = Machine.parse(cpuinfo: cpuinfo, cores: 2)
        #expect(machine.cpuModel == "AMD EPYC 9B14")
        #expect(machine.simdFeatures == ["sse4_2", "avx", "avx2", "fma", "avx512f", "avx512bw"])
        #expect(machine.cores == 2)
    }

    @Test func currentMachineHasACPU() {
        let machine = Machine.current()
        #expect(machine.cores >= 1)
        #expect(machine.cpuModel != "unknown")
    }
}
