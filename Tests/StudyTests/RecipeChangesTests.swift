import Study
import Testing

/// Which edits of a study file keep the finished runs of its folder valid.
struct RecipeChangesTests {
    static func study(_ train: String = "epochs = 3", grid: String = "backbone = [\"cspdarknet\"]", extra: String = "") throws -> StudyFile {
        try StudyFile.parse("""
            [study]
            name = "s"
            title = "first"
            [data.synthetic]
            kind = "shapes"
            [train]
            \(train)
            [grid]
            \(grid)
            \(extra)
            """, file: "study.toml", folder: "")
    }

    @Test func gridSeedsRuleAndReportMayChange() throws {
        let old = try Self.study()
        let new = try Self.study(grid: "backbone = [\"cspdarknet\", \"ghostnet\"]",
                                 extra: "[recommend]\ntolerance = 0.05\n[report]\nlanguage = \"zh\"")
        #expect(new.recipeChanges(from: old) == [])
    }

    @Test func recipeDataAndAKeptCellsSizeMayNot() throws {
        let old = try Self.study()
        #expect(try Self.study("epochs = 4\nlr0 = 0.02").recipeChanges(from: old) == ["[train] epochs: 3 → 4", "[train] lr0: 0.01 → 0.02"])
        #expect(try Self.study("epochs = 3\nimgsz = 128").recipeChanges(from: old)
            == ["imgsz of cspdarknet__pan-sppf__s0: 160 → 128"])
        #expect(try Self.study(grid: "backbone = [\"cspdarknet\"]\nimgsz = [160, 128]").recipeChanges(from: old) == [],
                "with an image-size axis the names carry the size: the old run is another cell")
        let data = try Self.study(extra: "").recipeChanges(from: try StudyFile.parse(
            "[study]\nname = \"s\"\n[data.synthetic]\nkind = \"shapes\"\ntrain = 50\n[train]\nepochs = 3\n[grid]\nbackbone = [\"cspdarknet\"]",
            file: "study.toml", folder: ""))
        #expect(data == ["[data]: shapes (hard, train 50, val 100, imgsz 160, seed 0) → shapes (hard, train 500, val 100, imgsz 160, seed 0)"])
    }
}
