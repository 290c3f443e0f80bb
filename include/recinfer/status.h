// Status and Result<T>: the only error channel in recinfer. No exception and no abort may escape
// on any path a model file or a request can reach; every failure becomes a Status whose message
// names the node, op and offending value.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include <fmt/format.h>

namespace recinfer {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  // bad model, bad request (shape, dtype, value)
  kUnsupported,      // valid ONNX that recinfer does not run (op, dtype, attribute)
  kOutOfRange,       // ids / indices out of range
  kNotFound,
  kIoError,
  kInternal,
};

const char* status_code_name(StatusCode code);

// Ok statuses carry no heap state, so returning Status::ok() on the hot path never allocates.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message)
      : state_(std::make_shared<State>(State{code, std::move(message)})) {}

  static Status ok() { return Status(); }

  bool is_ok() const { return state_ == nullptr; }
  StatusCode code() const { return state_ ? state_->code : StatusCode::kOk; }
  const std::string& message() const;
  std::string to_string() const;

  // Prefixes the message with context ("node 'x' (Gather): ..."); a no-op when ok.
  Status with_context(const std::string& context) const;

 private:
  struct State {
    StatusCode code;
    std::string message;
  };
  std::shared_ptr<const State> state_;
};

template <typename... Args>
Status make_error(StatusCode code, fmt::format_string<Args...> format, Args&&... args) {
  return Status(code, fmt::format(format, std::forward<Args>(args)...));
}
template <typename... Args>
Status invalid_argument(fmt::format_string<Args...> format, Args&&... args) {
  return Status(StatusCode::kInvalidArgument, fmt::format(format, std::forward<Args>(args)...));
}
template <typename... Args>
Status unsupported(fmt::format_string<Args...> format, Args&&... args) {
  return Status(StatusCode::kUnsupported, fmt::format(format, std::forward<Args>(args)...));
}
template <typename... Args>
Status out_of_range(fmt::format_string<Args...> format, Args&&... args) {
  return Status(StatusCode::kOutOfRange, fmt::format(format, std::forward<Args>(args)...));
}
template <typename... Args>
Status internal_error(fmt::format_string<Args...> format, Args&&... args) {
  return Status(StatusCode::kInternal, fmt::format(format, std::forward<Args>(args)...));
}
template <typename... Args>
Status io_error(fmt::format_string<Args...> format, Args&&... args) {
  return Status(StatusCode::kIoError, fmt::format(format, std::forward<Args>(args)...));
}

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Status status) : status_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    if (status_.is_ok()) status_ = Status(StatusCode::kInternal, "Result built from an ok Status");
  }

  bool is_ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace recinfer

#define RI_CONCAT_INNER(a, b) a##b
#define RI_CONCAT(a, b) RI_CONCAT_INNER(a, b)

#define RI_RETURN_IF_ERROR(expr)                        \
  do {                                                  \
    ::recinfer::Status ri_status_ = (expr);             \
    if (!ri_status_.is_ok()) return ri_status_;         \
  } while (0)

#define RI_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                             \
  if (!tmp.is_ok()) return tmp.status();         \
  lhs = std::move(tmp).value()

#define RI_ASSIGN_OR_RETURN(lhs, expr) \
  RI_ASSIGN_OR_RETURN_IMPL(RI_CONCAT(ri_result_, __LINE__), lhs, expr)
