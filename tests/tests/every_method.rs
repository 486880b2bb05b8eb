//! Every shipped method, driven by its spec alone: the documented example request, sent over
//! HTTP to the emulator, is answered from the fixture with a result of the declared type.

mod support;
use b24_emulator::Emulator;
use b24_spec::conform::{self, Mode};
use support::serve;

#[tokio::test]
async fn every_spec_answers_its_documented_example_request() {
    let specs =
        b24_emulator::load_specs(b24_client::SPECS).expect("the shipped specs load as a set");
    assert!(!specs.is_empty());

    let (running, client) = serve(Emulator::builder()).await;
    let mut checked = 0;
    for spec in &specs {
        let Some(example) = &spec.example else {
            continue;
        };
        let answer = client
            .call_raw(&spec.method, example.params.clone())
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", spec.method));
        // A result shaped by a parameter (`RESULT_TYPE=array`) is checked as that shape.
        let result = conform::result_type(spec, &example.params);
        if let Err(m) = conform::check(spec, result, &answer.result, Mode::Result) {
            panic!(
                "{}: the answer is not a {:?} at `{}`: {}",
                spec.method, result.kind, m.path, m.message
            );
        }
        // Every shipped method answers from fixture data, not from its static example.
        assert!(
            spec.emulator.is_some(),
            "{}: no `emulator:` section",
            spec.method
        );
        checked += 1;
    }
    assert_eq!(checked, specs.len(), "every shipped spec has an example");
    running.shutdown().await.unwrap();
}
