"""The live page's transcript merge (assets/interview_page.js ``InterviewPage.mergeFinal``) in Chromium: a
final rewritten after a resume (the words a dropped connection cut, heard again) replaces its line, by seq
or, after a reload that showed the stored words, by its old text; nothing is shown twice."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

SCRIPT = Path(__file__).resolve().parents[2] / "assets" / "interview_page.js"

MERGE = """(messages) => {
  const tx = {finals: [], seqs: {}};
  messages.forEach((m) => window.InterviewPage.mergeFinal(tx, m));
  return tx.finals;
}"""


def _loaded(page: Page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_content("<!doctype html><html><body></body></html>")
    page.add_script_tag(path=str(SCRIPT))
    return errors


def test_a_rewritten_final_takes_its_lines_place_by_seq_or_by_its_old_text(page: Page):
    errors = _loaded(page)
    # shown before the drop (seq 4), then rewritten by the resume: one line, the new words
    assert page.evaluate(MERGE, [{"seq": 3, "text": "I would use a stack."},
                                 {"seq": 4, "text": "A stack is last in first."},
                                 {"seq": 4, "text": "A stack is last in first out.",
                                  "replaced_text": "A stack is last in first."},
                                 {"seq": 5, "text": "And a queue is first in first out."}]) == [
        "I would use a stack.", "A stack is last in first out.", "And a queue is first in first out."]
    # never shown (the drop came first): the rewrite is a new line
    assert page.evaluate(MERGE, [{"seq": 4, "text": "A stack is last in first out.",
                                  "replaced_text": "A stack is last in first."}]) == ["A stack is last in first out."]
    # the same final twice (a resend) is shown once
    assert page.evaluate(MERGE, [{"seq": 7, "text": "Redis."}, {"seq": 7, "text": "Redis."}]) == ["Redis."]
    # after a reload the stored words are shown without seqs: the rewrite finds its line by the old text
    assert page.evaluate("""() => {
      const tx = {finals: ["I would use a stack.", "A stack is last in first."], seqs: {}};
      window.InterviewPage.mergeFinal(tx, {seq: 4, text: "A stack is last in first out.",
                                           replaced_text: "A stack is last in first."});
      window.InterviewPage.mergeFinal(tx, {seq: 4, text: "A stack is last in first out.",
                                           replaced_text: "A stack is last in first."});
      return tx.finals;
    }""") == ["I would use a stack.", "A stack is last in first out."]
    assert errors == []
