// Renders the HTML report of a zoo model in headless Chromium (Debian `chromium`) and checks the
// script ran without errors and drew the timeline and the top-ops chart. Skips when Chromium is
// not installed (scripts/setup.sh installs it).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "profiler/export.h"
#include "support/model_builder.h"
#include "support/profiling.h"

namespace recinfer {
namespace {

std::string find_chromium() {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    for (const char* name : {"chromium", "chromium-browser"}) {
      const std::filesystem::path candidate = std::filesystem::path(dir) / name;
      if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
    }
  }
  return "";
}

size_t count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

TEST(ProfilerHtmlReportTest, RendersInHeadlessChromiumWithoutScriptErrors) {
  const std::string chromium = find_chromium();
  if (chromium.empty()) {
    GTEST_SKIP()
        << "chromium is not installed (apt-get install chromium); HTML render check skipped";
  }
  testing::ZooModel model = testing::load_zoo_model("deepfm_opset14", 2);
  ASSERT_NE(model.session, nullptr);
  profiler::Profile profile = testing::profile_runs(*model.session, model.inputs, 5);
  const auto rows = profiler::op_rows(profile);
  const auto summary = profiler::summarize(profile, rows);
  const std::string out = testing::temp_dir("profiler_html");
  const std::string html = out + "/report.html";
  profiler::HtmlOptions html_options;
  html_options.title = "deepfm </script><b>title</b>";  // must not break out of the data block
  ASSERT_TRUE(profiler::write_html_report(profile, rows, summary, html_options, html).is_ok());

  const std::string page = testing::read_file(html);
  for (const char* remote : {"src=\"http", "href=\"http", "@import", "url(http"}) {
    EXPECT_EQ(page.find(remote), std::string::npos) << "report references the network: " << remote;
  }

  const std::string dom = out + "/dom.html", log = out + "/chromium.log";
  const std::string command =
      "timeout 120 '" + chromium +
      "' --headless --disable-gpu --no-sandbox --enable-logging=stderr --v=0"
      " --user-data-dir='" +
      out + "/chromium-profile' --dump-dom 'file://" + html + "' > '" + dom + "' 2> '" + log + "'";
  const int rc = std::system(command.c_str());
  const std::string errors = testing::read_file(log);
  ASSERT_TRUE(WIFEXITED(rc) && WEXITSTATUS(rc) == 0) << command << "\n" << errors;
  EXPECT_EQ(errors.find("Uncaught"), std::string::npos) << errors;
  EXPECT_EQ(errors.find(":CONSOLE("), std::string::npos) << "console output:\n" << errors;

  const std::string rendered = testing::read_file(dom);
  EXPECT_NE(rendered.find("data-rendered=\"true\""), std::string::npos) << "script did not finish";
  EXPECT_NE(rendered.find("id=\"timeline\""), std::string::npos);
  EXPECT_NE(rendered.find("id=\"top-ops\""), std::string::npos);
  EXPECT_GE(count(rendered, "class=\"ev\""), rows.size() / 5);  // one inference's ops at least
  EXPECT_GE(count(rendered, "class=\"bar\""), std::min<size_t>(10, summary.types.size()));
  EXPECT_NE(rendered.find("deepfm &lt;/script&gt;&lt;b&gt;title&lt;/b&gt;"), std::string::npos);
}

}  // namespace
}  // namespace recinfer
