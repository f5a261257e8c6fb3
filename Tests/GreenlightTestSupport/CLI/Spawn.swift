#if canImport(Glibc)
    import Glibc
#endif
import Foundation

/// Starts a program with `posix_spawn` and waits for it on a thread of its own — instead of
/// Foundation's `Process`, whose `run()` on Linux crashes now and then (swift-corelibs-foundation
/// #5472: `findMaximumOpenFromProcSelfFD` copies a whole `dirent` name past glibc's buffer; it crashed
/// a full test run here). Standard input is `/dev/null`; both outputs go to files.
enum Spawn {
    package struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs `executable arguments…` in `directory` with exactly `environment`; returns its exit code
    /// (128 + the signal when a signal ended it).
    static func run(
        _ executable: String, _ arguments: [String], environment: [String: String], directory: String,
        stdout: String, stderr: String
    ) async throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        // glibc's posix_spawn_file_actions_addchdir_np is not visible from Swift: a shell changes directory, then becomes the program.
        let argv = (["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", directory, executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid = pid_t()
        let started = posix_spawn(&pid, "/bin/sh", &actions, nil, argv, envp)
        guard started == 0 else { throw Failure(description: "could not start \(executable): \(String(cString: strerror(started)))") }
        let child = pid
        let status: Int32 = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var status: Int32 = 0
                while waitpid(child, &status, 0) == -1 && errno == EINTR {}
                continuation.resume(returning: status)
            }
        }
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }
}
