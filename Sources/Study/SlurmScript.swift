import Results

/// slurm/array.sbatch: one array task per cell, readable and submittable by hand.
///
/// Each task runs `studyctl run STUDY --cell NAME --output DIR --threads $SLURM_CPUS_PER_TASK`
/// and logs to slurm/<cell>.out. Near the time limit Slurm sends USR1 (`--signal=B:USR1@lead`):
/// the script passes TERM on (studyctl stops at the next batch; its last finished epoch is on disk)
/// and requeues the task, which then resumes. A cancelled task (scancel sends TERM) stops the same
/// way but is not requeued.
public enum SlurmScript {
    public static func text(study: String, cells: [String], layout: StudyLayout, options: SlurmOptions) -> String {
        let logs = layout.slurm
        var lines = ["#!/bin/bash", "# studyctl: the cells of study \(study) as a Slurm job array (written by studyctl run --executor slurm)"]
        var array = "0-\(cells.count - 1)"
        if let limit = options.arrayLimit { array += "%\(limit)" }
        var sbatch = ["--job-name=studyctl-\(study)", "--array=\(array)", "--cpus-per-task=\(options.cpusPerTask)",
                      "--time=\(options.time)", "--output=\(logs)/array-%A_%a.out", "--open-mode=append",
                      "--signal=B:USR1@\(options.signalLeadSeconds)", "--requeue"]
        if let memory = options.memory { sbatch.append("--mem=\(memory)") }
        sbatch += options.placement + options.extraArguments
        lines += sbatch.map { "#SBATCH \($0)" }
        lines += [
            "",
            "cells=(" + cells.map(quote).joined(separator: " ") + ")",
            "cell=${cells[$SLURM_ARRAY_TASK_ID]}",
            "exec >>\(quote(logs))/\"$cell.out\" 2>&1",
            "echo \"== $(date -u +%Y-%m-%dT%H:%M:%SZ) job ${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID} on $(hostname), restart ${SLURM_RESTART_COUNT:-0}: $cell\"",
            "requeue=0",
            "trap 'requeue=1; kill -TERM \"$child\" 2>/dev/null' USR1",
            "trap 'kill -TERM \"$child\" 2>/dev/null' TERM",
            "\(quote(options.binary)) run \(quote(options.studyFile)) --cell \"$cell\" --output \(quote(layout.path)) --threads \"${SLURM_CPUS_PER_TASK:-1}\" &",
            "child=$!",
            "while true; do wait \"$child\"; rc=$?; kill -0 \"$child\" 2>/dev/null || break; done",
            "if [ \"$requeue\" = 1 ]; then",
            "  echo \"== the time limit is near: saved where it stopped; requeueing $cell\"",
            "  scontrol requeue \"${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}\"",
            "fi",
            "exit $rc",
            "",
        ]
        return lines.joined(separator: "\n")
    }

    /// `s` as one word for bash, in single quotes.
    public static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}
