import Charts
import Testing
