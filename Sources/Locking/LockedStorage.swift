#if canImport(Glibc)
import Glibc
#endif

/// The value (the buffer's header) and its pthread mutex (the buffer's one element), in one heap object.
@usableFromInline
final class LockedStorage<Value>: ManagedBuffer<Value, pthread_mutex_t> {
    @inlinable
    static func make(_ initialValue: Value) -> LockedStorage<Value> {
        let buffer = create(minimumCapacity: 1) { buffer in
            buffer.withUnsafeMutablePointerToElements { mutex in
                mutex.initialize(to: pthread_mutex_t())
                // Default attributes cannot fail to initialize; the zeroed mutex is already a valid one on glibc.
                _ = pthread_mutex_init(mutex, nil)
            }
            return initialValue
        }
        return unsafeDowncast(buffer, to: LockedStorage<Value>.self)
    }

    deinit {
        withUnsafeMutablePointerToElements { mutex in
            _ = pthread_mutex_destroy(mutex)
        }
    }
}
