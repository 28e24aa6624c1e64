//! A worked answer as people read it: the short answer, then the numbered working.

use crate::calc::Answer;

pub fn answer(answer: &Answer) -> String {
    let mut out = format!("{}\n", answer.answer);
    for (i, step) in answer.steps.iter().enumerate() {
        out.push_str(&format!("  {}. {step}\n", i + 1));
    }
    out
}
