"""extract: French defence and security news in, analyst-ready tables out."""
