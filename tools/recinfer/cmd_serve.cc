// recinfer serve --model-repository DIR [--http-port 8000] [--grpc-port 8001]
//   [--metrics-port 8002] [--host 0.0.0.0] [--ports-file FILE] ...
// Serves every model folder of DIR (docs/serving.md) over the Open Inference Protocol (KServe
// v2): HTTP/REST and gRPC, dynamic batching per model, Prometheus metrics on /metrics (HTTP port)
// and on the metrics port.
// Lifecycle: ready (GET /v2/health/ready) once every model is loaded and warmed up; SIGHUP
// reloads every model (a new version on disk is loaded beside the old one and switched to with
// no failed request); SIGTERM/SIGINT stop accepting, answer every accepted request, and exit 0
// (1 when requests were still pending at --shutdown-timeout-s).
#include <pthread.h>
#include <signal.h>

#include <chrono>
#include <fstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli_util.h"
#include "commands.h"
#include "serve/grpc/grpc_server.h"
#include "serve/http/http_server.h"
#include "serve/http/metrics_server.h"
#include "serve/metrics.h"
#include "serve/model_repository.h"

namespace recinfer::cli {
namespace {

struct ServeArgs {
  std::string repository;
  std::string host = "0.0.0.0";
  int http_port = 8000;
  int grpc_port = 8001;
  int metrics_port = 8002;
  int http_threads = 64;
  int grpc_threads = 64;
  size_t max_body_bytes = size_t{64} << 20;
  double shutdown_timeout_s = 30;
  bool lenient = false;
  std::string ports_file;
};

// Blocks the signals the server waits for, in this thread and every thread it starts after.
sigset_t block_server_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

int serve_command(const ServeArgs& args) {
  const sigset_t signals = block_server_signals();
  serve::Metrics metrics;
  serve::RepositoryOptions options;
  options.strict = !args.lenient;
  options.metrics = &metrics;
  options.server_version = "0.1";
  Activity loading("loading the model repository " + args.repository);
  auto repo = serve::ModelRepository::open(args.repository, options);
  if (!repo.is_ok()) return fail(repo.status());
  for (const std::string& e : (*repo)->load_errors()) fmt::print(stderr, "warning: {}\n", e);

  serve::http::HttpOptions http_options;
  http_options.host = args.host;
  http_options.port = args.http_port;
  http_options.threads = args.http_threads;
  http_options.max_body_bytes = args.max_body_bytes;
  serve::http::HttpServer http(**repo, http_options);
  http.set_metrics([&metrics] { return metrics.serialize_text(); });
  Activity starting("starting the HTTP server");
  if (Status st = http.start(); !st.is_ok()) return fail(st);

  std::unique_ptr<serve::rpc::GrpcServer> grpc;
  if (args.grpc_port >= 0) {
    serve::rpc::GrpcOptions grpc_options;
    grpc_options.host = args.host;
    grpc_options.port = args.grpc_port;
    grpc_options.threads = args.grpc_threads;
    grpc_options.max_message_bytes = args.max_body_bytes;
    grpc = std::make_unique<serve::rpc::GrpcServer>(**repo, grpc_options);
    if (Status st = grpc->start(); !st.is_ok()) return fail(st);
  }
  int metrics_port = -1;
  serve::http::MetricsServer metrics_server([&metrics] { return metrics.serialize_text(); });
  if (args.metrics_port >= 0) {
    if (Status st = metrics_server.start(args.host, args.metrics_port); !st.is_ok()) return fail(st);
    metrics_port = metrics_server.port();
  }
  const auto names = (*repo)->model_names();
  fmt::print("recinfer serve: {} model{} ready ({}); HTTP {}:{}, gRPC {}, metrics {}\n",
             names.size(), names.size() == 1 ? "" : "s", fmt::join(names, ", "), args.host,
             http.port(), grpc ? std::to_string(grpc->port()) : "off",
             metrics_port >= 0 ? std::to_string(metrics_port) : "off");
  std::fflush(stdout);
  if (!args.ports_file.empty()) {
    nlohmann::json ports = {{"http", http.port()},
                            {"grpc", grpc ? grpc->port() : -1},
                            {"metrics", metrics_port}};
    std::ofstream(args.ports_file) << ports.dump() << "\n";
  }

  for (;;) {
    int sig = 0;
    sigwait(&signals, &sig);
    if (sig == SIGHUP) {
      for (const std::string& name : (*repo)->model_names()) {
        Status st = (*repo)->reload(name);
        fmt::print(stderr, "reload {}: {}\n", name,
                   st.is_ok() ? "version " + (*repo)->current_version(name) : st.message());
      }
      continue;
    }
    fmt::print(stderr, "recinfer serve: signal {}: draining\n", sig);
    break;
  }
  (*repo)->begin_shutdown();
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                            std::chrono::duration<double>(args.shutdown_timeout_s));
  const bool drained = (*repo)->drain(deadline);
  if (grpc) grpc->stop();
  http.stop();
  metrics_server.stop();
  fmt::print(stderr, "recinfer serve: {}\n",
             drained ? "every request answered; bye" : "shutdown timeout with requests pending");
  return drained ? 0 : 1;
}

}  // namespace

void add_serve_command(CLI::App& app) {
  auto args = std::make_shared<ServeArgs>();
  CLI::App* cmd = app.add_subcommand(
      "serve", "serve a model repository over KServe v2 HTTP/gRPC with dynamic batching");
  cmd->add_option("--model-repository", args->repository,
                  "folder of model folders (docs/serving.md)")
      ->required();
  cmd->add_option("--host", args->host, "address to bind (default 0.0.0.0)");
  cmd->add_option("--http-port", args->http_port, "HTTP/REST port (default 8000; 0 = any free)")
      ->check(CLI::Range(0, 65535));
  cmd->add_option("--grpc-port", args->grpc_port,
                  "gRPC port (default 8001; 0 = any free; -1 = off)")
      ->check(CLI::Range(-1, 65535));
  cmd->add_option("--metrics-port", args->metrics_port,
                  "Prometheus /metrics port (default 8002; 0 = any free; -1 = off; /metrics is "
                  "also on the HTTP port)")
      ->check(CLI::Range(-1, 65535));
  cmd->add_option("--http-threads", args->http_threads, "HTTP worker threads (default 64)")
      ->check(at_least(1));
  cmd->add_option("--grpc-threads", args->grpc_threads, "gRPC worker threads (default 64)")
      ->check(at_least(1));
  cmd->add_option("--max-body-bytes", args->max_body_bytes,
                  "largest request body / gRPC message (default 64 MiB)")
      ->check(at_least(1));
  cmd->add_option("--shutdown-timeout-s", args->shutdown_timeout_s,
                  "on SIGTERM, how long to wait for accepted requests (default 30)")
      ->check(positive_number());
  cmd->add_flag("--lenient", args->lenient,
                "serve the models that load even when others fail (default: fail to start)");
  cmd->add_option("--ports-file", args->ports_file,
                  "write the bound ports as JSON here once ready (for port 0)");
  cmd->callback([args] { exit_code() = serve_command(*args); });
}

}  // namespace recinfer::cli
