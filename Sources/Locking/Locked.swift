#if canImport(Glibc)
import Glibc
#endif

/// A value guarded by a pthread mutex, used like `Synchronization.Mutex` (`withLock`), so ThreadSanitizer sees it.
///
/// On Linux, `Mutex` hands a contended lock from one thread to the next inside the kernel (a priority-inheriting
/// futex), where ThreadSanitizer cannot see the hand-off: it then reports every access `Mutex` guards as a race,
/// hiding real ones. ThreadSanitizer intercepts `pthread_mutex_lock` and `pthread_mutex_unlock`, and glibc's
/// uncontended path is one atomic instruction each way, as `Mutex`'s is. The value and the mutex share one
/// allocation, which never moves, as a pthread mutex requires. Copies of a `Locked` share one value and one lock.
public struct Locked<Value> {
    @usableFromInline
    let storage: LockedStorage<Value>

    /// A lock guarding `initialValue`.
    @inlinable
    public init(_ initialValue: Value) {
        storage = LockedStorage.make(initialValue)
    }

    /// Runs `body` with exclusive access to the value; the lock is held only while `body` runs.
    @inlinable
    public borrowing func withLock<Result, Failure: Error>(
        _ body: (inout Value) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try storage.withUnsafeMutablePointers { value, mutex throws(Failure) -> Result in
            pthread_mutex_lock(mutex)
            defer { pthread_mutex_unlock(mutex) }
            return try body(&value.pointee)
        }
    }
}

// The value is only ever reached under the lock, so sharing the lock shares the value safely.
extension Locked: @unchecked Sendable where Value: Sendable {}
