"""jixiao (绩效): performance self-evaluation reports into a comparison warehouse."""
