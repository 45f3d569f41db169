import DUNESupport
import Foundation

/// A forward-only window over a capture's bytes, refilled from the file through a fixed-size buffer.
///
/// Memory is bounded by the largest single record, never by the file size: the buffer starts at
/// `chunk` bytes and only grows when one block is larger than that (a limit for a block length is
/// enforced by the caller). In-memory inputs are copied once and never refilled.
final class ByteSource {
  let path: String
  private let fd: Int32
  private(set) var base: UnsafeMutableRawPointer
  private var capacity: Int
  /// Cursor and end of valid bytes, both relative to `base`.
  private(set) var start = 0
  private(set) var end = 0
  /// File offset of `base[0]`.
  private var baseOffset = 0
  /// Total input size when known (regular files and memory); `Int.max` for pipes.
  let size: Int

  /// Absolute byte offset of the cursor.
  var offset: Int { baseOffset + start }
  /// Bytes buffered at the cursor.
  var available: Int { end - start }
  /// The cursor as a pointer; valid until the next `ensure`/`skip`.
  var cursor: UnsafeRawPointer { UnsafeRawPointer(base + start) }

  init(path: String, chunk: Int = 1 << 20) throws {
    self.path = path
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else {
      throw LocatedError(file: path, "cannot open capture: \(String(cString: strerror(errno)))")
    }
    var st = stat()
    guard fstat(fd, &st) == 0 else {
      close(fd)
      throw LocatedError(file: path, "cannot stat capture: \(String(cString: strerror(errno)))")
    }
    let kind = st.st_mode & S_IFMT
    if kind == S_IFDIR {
      close(fd)
      throw LocatedError(file: path, "is a folder, not a capture file")
    }
    self.fd = fd
    self.size = kind == S_IFREG ? Int(st.st_size) : Int.max
    // A small file gets a buffer of its own size: a large allocation per file costs page faults.
    // (Memory-mapping was measured slower than read(2) into a reused buffer for these files.)
    capacity = kind == S_IFREG ? max(min(chunk, Int(st.st_size)), 64) : chunk
    base = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
  }

  init(data: Data, name: String) {
    path = name
    fd = -1
    size = data.count
    capacity = max(data.count, 16)
    base = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
    data.withUnsafeBytes { raw in
      if let p = raw.baseAddress { base.copyMemory(from: p, byteCount: raw.count) }
    }
    end = data.count
  }

  deinit {
    if fd >= 0 { close(fd) }
    base.deallocate()
  }

  /// Makes at least `n` bytes available at the cursor; false when the input ends first.
  @inline(__always) func ensure(_ n: Int) throws -> Bool {
    if end - start >= n { return true }
    return try refill(n)
  }

  @inline(never) private func refill(_ n: Int) throws -> Bool {
    if fd < 0 || n > size - offset { return false }
    let have = end - start
    if start > 0 {
      if have > 0 { memmove(base, base + start, have) }
      baseOffset += start
      start = 0
      end = have
    }
    if n > capacity {
      var newCapacity = capacity
      while newCapacity < n { newCapacity *= 2 }
      let grown = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
      grown.copyMemory(from: base, byteCount: end)
      base.deallocate()
      base = grown
      capacity = newCapacity
    }
    while end < n {
      let r = read(fd, base + end, capacity - end)
      if r < 0 {
        if errno == EINTR { continue }
        throw LocatedError(
          file: path, offset: baseOffset + end, "read failed: \(String(cString: strerror(errno)))")
      }
      if r == 0 { return false }
      end += r
    }
    return true
  }

  /// Advances the cursor by `n` bytes that `ensure` made available.
  @inline(__always) func consume(_ n: Int) { start += n }

  /// Advances the cursor by `n` bytes that need not be buffered; false when the input ends first.
  func skip(_ n: Int) throws -> Bool {
    if n <= available {
      start += n
      return true
    }
    if fd < 0 || n > size - offset { return false }
    var left = n - available
    baseOffset += end
    start = 0
    end = 0
    if size != Int.max {
      guard lseek(fd, off_t(baseOffset + left), SEEK_SET) >= 0 else {
        throw LocatedError(file: path, offset: baseOffset, "seek failed: \(String(cString: strerror(errno)))")
      }
      baseOffset += left
      return true
    }
    while left > 0 {
      let r = read(fd, base, min(capacity, left))
      if r < 0 {
        if errno == EINTR { continue }
        throw LocatedError(file: path, offset: baseOffset, "read failed: \(String(cString: strerror(errno)))")
      }
      if r == 0 { return false }
      left -= r
      baseOffset += r
    }
    return true
  }

  /// True when no byte is left (only meaningful at a record boundary).
  func atEnd() throws -> Bool { try !ensure(1) }
}
